package dev.requesttiming.java11;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The core's and the javax adapter's jars on a Java 11 module path: the core's module descriptor
 * (at the multi-release jar's root) resolves with Micrometer 1.9 and SLF4J 1.7, exports the API only,
 * and the javax adapter's automatic module reads it.
 */
class ModulePathOnJava11IT {

  /** The jars the two modules read, by name, from this test's class path. */
  private static final List<String> MODULE_JARS = List.of("request-timing-core-", "request-timing-servlet-javax-",
      "micrometer-core-", "HdrHistogram-", "LatencyUtils-", "slf4j-api-", "tomcat-embed-core-", "tomcat-annotations-api-");

  @Test
  void theJars_runOnTheModulePath() throws Exception {
    Java11.assertRunningOnJava11();
    List<String> modulePath = new ArrayList<>();
    List<String> classPath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && MODULE_JARS.stream().anyMatch(name::startsWith)) {
        modulePath.add(entry);
      } else if (entry.endsWith("test-classes")) {
        classPath.add(entry);
      }
    }
    assertThat(modulePath).hasSize(MODULE_JARS.size());

    Process java = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--module-path", String.join(File.pathSeparator, modulePath),
            "--add-modules", "ALL-MODULE-PATH",
            "-cp", String.join(File.pathSeparator, classPath),
            ModulePathMain.class.getName())
        .redirectErrorStream(true)
        .start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("core=dev.requesttiming.core automatic=false exports=[dev.requesttiming.core] engineExported=false")
        .contains("count=1")
        .contains("javax=dev.requesttiming.servlet.javax reads core=true");
  }
}
