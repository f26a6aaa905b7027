package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository explains itself: its code and docs cite what is in it (docs/ARCHITECTURE.md), never
 * a design file kept elsewhere or an issue number a reader cannot open. The changelog may say where a
 * change came from.
 */
class RepositoryTextTest {

  private static final Path ROOT = Path.of("..");
  private static final Pattern OUTSIDE_CITATION = Pattern.compile("DESIGN \\u00a7|(?i)\\bissues? #?\\d+");

  private static List<Path> sourcesAndDocs() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/") && !p.toString().contains("/node_modules/"))
          .filter(p -> p.toString().matches(".*\\.(java|xml|md|sh|properties|yml|yaml|json)$"))
          .filter(p -> !p.getFileName().toString().equals("CHANGELOG.md"))
          .toList();
    }
  }

  @Test
  void noCodeOrDocCitesADesignFileOrAnIssue() throws IOException {
    List<String> citing = sourcesAndDocs().stream()
        .filter(p -> OUTSIDE_CITATION.matcher(read(p)).find())
        .map(p -> ROOT.relativize(p).toString())
        .toList();
    assertThat(citing).isEmpty();
  }

  @Test
  void theArchitectureIsWrittenInTheRepository_andTheReadmeLinksIt() throws IOException {
    String architecture = Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
    assertThat(architecture).contains("## The core's layers", "## Concurrency contracts", "## Failing open");
    assertThat(Files.readString(ROOT.resolve("README.md"))).contains("(docs/ARCHITECTURE.md)");
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
