package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's Java 11 rewrite ({@code tools/Java11Jar.java}), on jars made here: a record comes out
 * as a Java 11 class on {@code java.lang.Object} with its original kept for Java 17, and a call to an
 * API newer than Java 11 fails the build with the class and the API named.
 */
class Java11JarTest {

  /** The tool JvmDowngrader, as the core's build copied it. */
  private static final Path DOWNGRADER = Path.of("..", "core", "target", "java11", "jvmdowngrader-all.jar").toAbsolutePath();
  private static final Path SCRIPT = Path.of("..", "tools", "Java11Jar.java").toAbsolutePath();

  @TempDir Path dir;

  @BeforeEach
  void downgraderPresent() {
    boolean present = Files.isRegularFile(DOWNGRADER);
    if (System.getenv("CI") != null) {
      assertThat(present).as("%s: the core's package phase copies it", DOWNGRADER).isTrue();
    }
    assumeTrue(present, DOWNGRADER + " is missing: mvn package -pl core first");
  }

  @Test
  void aRecord_becomesAJava11ClassOnObject_andKeepsItsOriginalForJava17() throws Exception {
    Path jar = jarOf(Map.of("p/Point.java", "package p; public record Point(int x, int y) {}"));

    Result result = rewrite(jar);

    assertThat(result.exit).as(result.output).isZero();
    assertThat(result.output).contains("1 classes for Java 11", "1 of them records on java.lang.Object", "1 originals for Java 17");
    try (JarFile rewritten = new JarFile(jar.toFile())) {
      assertThat(rewritten.getManifest().getMainAttributes().getValue("Multi-Release")).isEqualTo("true");
      assertThat(majorVersion(rewritten, "p/Point.class")).isEqualTo(55);
      assertThat(majorVersion(rewritten, "META-INF/versions/17/p/Point.class")).isEqualTo(61);
      String constants = new String(bytes(rewritten, "p/Point.class"), StandardCharsets.ISO_8859_1);
      assertThat(constants).contains("java/lang/Object").doesNotContain("J_L_Record").doesNotContain("java/lang/Record");
    }
  }

  @Test
  void aCallToAnApiNewerThanJava11_failsTheBuild_namingIt() throws Exception {
    Path jar = jarOf(Map.of("p/Names.java",
        "package p; public class Names { public static java.util.List<String> of() { return java.util.stream.Stream.of(\"a\").toList(); } }"));

    Result result = rewrite(jar);

    assertThat(result.exit).isNotZero();
    assertThat(result.output).contains("p/Names.class loads xyz/wagyourtail/jvmdg/j16/stub/java_base/J_U_S_Stream");
  }

  @Test
  void aJarRewrittenAlready_isRefused_ratherThanLosingItsOriginals() throws Exception {
    Path jar = jarOf(Map.of("p/Point.java", "package p; public record Point(int x, int y) {}"));
    assertThat(rewrite(jar).exit).isZero();

    Result again = rewrite(jar);

    assertThat(again.exit).isNotZero();
    assertThat(again.output).contains("is a multi-release jar already");
  }

  private record Result(int exit, String output) {}

  private Result rewrite(Path jar) throws IOException, InterruptedException {
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            SCRIPT.toString(), DOWNGRADER.toString(), "", jar.toString())
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(java.exitValue(), output);
  }

  /** Compiles the sources (Java 17) into a jar, as the jar plugin would package them. */
  private Path jarOf(Map<String, String> sources) throws IOException {
    Path src = dir.resolve("src");
    Path classes = dir.resolve("classes");
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, source.getValue());
    }
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString()));
    sources.keySet().forEach(name -> args.add(src.resolve(name).toString()));
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, errors, args.toArray(new String[0]));
    assertThat(compiled).as(errors.toString(StandardCharsets.UTF_8)).isZero();

    Path jar = dir.resolve("test.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString()));
        jarOut.write(Files.readAllBytes(file));
        jarOut.closeEntry();
      }
    }
    return jar;
  }

  private static byte[] bytes(JarFile jar, String entry) throws IOException {
    JarEntry found = jar.getJarEntry(entry);
    assertThat(found).as(entry).isNotNull();
    try (InputStream in = jar.getInputStream(found)) {
      return in.readAllBytes();
    }
  }

  private static int majorVersion(JarFile jar, String entry) throws IOException {
    DataInputStream data = new DataInputStream(new ByteArrayInputStream(bytes(jar, entry)));
    data.readInt();
    data.readUnsignedShort();
    return data.readUnsignedShort();
  }
}
