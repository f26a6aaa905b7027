package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
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
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
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

  /** A newcomer reads the README in five minutes: a table of contents, then links to the guides. */
  @Test
  void theReadmeIsShort_withContents() throws IOException {
    List<String> readme = Files.readAllLines(ROOT.resolve("README.md"));
    assertThat(readme.size()).as("README.md's lines").isLessThan(350);
    assertThat(readme).contains("## Contents");
  }

  /** Every relative link of the README and the guides leads to a file, and every anchor to a heading. */
  @Test
  void everyLinkOfTheDocs_leadsSomewhere() throws IOException {
    List<Path> docs = Stream.concat(Stream.of(ROOT.resolve("README.md")), Files.list(ROOT.resolve("docs"))
        .filter(p -> p.toString().endsWith(".md"))).toList();
    List<String> broken = new ArrayList<>();
    for (Path doc : docs) {
      Matcher link = LINK.matcher(read(doc));
      while (link.find()) {
        String target = link.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // a web address
        }
        String[] fileAndAnchor = target.split("#", 2);
        Path file = fileAndAnchor[0].isEmpty() ? doc : doc.getParent().resolve(fileAndAnchor[0]).normalize();
        if (!Files.exists(file)) {
          broken.add(ROOT.relativize(doc) + ": " + target);
        } else if (fileAndAnchor.length == 2 && file.toString().endsWith(".md") && !anchors(file).contains(fileAndAnchor[1])) {
          broken.add(ROOT.relativize(doc) + ": " + target + " (no such heading)");
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  /** GitHub's anchors of a Markdown file's headings: lower case, punctuation dropped, spaces as dashes. */
  private static List<String> anchors(Path markdown) {
    return read(markdown).lines()
        .filter(line -> line.startsWith("#"))
        .map(line -> line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
        .toList();
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
