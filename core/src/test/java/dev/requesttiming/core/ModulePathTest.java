package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The core as a module (as OkHttp's module-tests and Caffeine's moduleTest): a module
 * that requires it compiles and runs on the module path, sees the API, and cannot reach the
 * engine in {@code core.internal}, which the compiler refuses and the runtime does not export.
 */
class ModulePathTest {

  /** The jars the core's module reads, from this test's class path. */
  private static final List<String> MODULE_JARS =
      List.of("micrometer-core-", "micrometer-commons-", "micrometer-observation-", "HdrHistogram-", "LatencyUtils-",
          "slf4j-api-", "jspecify-");

  private static final String USER =
      """
      package moduletest;

      import dev.requesttiming.core.LiveView;
      import dev.requesttiming.core.RequestAdapter;
      import dev.requesttiming.core.RequestBudget;
      import dev.requesttiming.core.RequestTiming;
      import dev.requesttiming.core.RequestTimingConfig;
      import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
      import java.time.Duration;

      public class Main {
        public static void main(String[] args) {
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          RequestAdapter<String> paths = new RequestAdapter<>() {
            public String method(String request) { return "GET"; }
            public String path(String request) { return request; }
          };
          RequestTimingConfig config = RequestTimingConfig.builder().reportInterval(Duration.ZERO).build();
          try (RequestTiming<String> timing = RequestTiming.create(registry, config, paths)) {
            RequestBudget budget = timing.start("/api/users/42");
            System.out.println("timed=" + !budget.isUnlimited() + " current=" + (RequestBudget.current() == budget));
            System.out.println("live=" + timing.reports().liveJson(50).contains("/api/users/{id}"));
            timing.finish(budget, 200, null);
            System.out.println("count=" + (long) registry.get("http.server.requests").tag("uri", "/api/users/{id}").timer().count());
          }
          System.out.println("page=" + (LiveView.asset("index.html", "snapshot.json", "").content().length > 1000));
          Module core = RequestTiming.class.getModule();
          System.out.println("module=" + core.getName() + " exportsApi=" + core.isExported("dev.requesttiming.core")
              + " exportsEngine=" + core.isExported("dev.requesttiming.core.internal.engine"));
        }
      }
      """;

  private static String modulePath() throws IOException {
    List<String> path = new ArrayList<>();
    path.add(Path.of("target", "classes").toAbsolutePath().toString());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.endsWith(".jar") && MODULE_JARS.stream().anyMatch(name::startsWith)) {
        path.add(entry);
      }
    }
    assertThat(Path.of(path.get(0), "module-info.class")).exists();
    return String.join(File.pathSeparator, path);
  }

  private static Path module(Path dir, String mainSource) throws IOException {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("moduletest"));
    Files.writeString(src.resolve("module-info.java"), "module moduletest { requires dev.requesttiming.core; }");
    Files.writeString(src.resolve("moduletest/Main.java"), mainSource);
    return src;
  }

  private static int compile(Path src, Path out, String modulePath, ByteArrayOutputStream errors) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> args = new ArrayList<>(List.of("--module-path", modulePath, "-d", out.toString()));
    try (Stream<Path> files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    return javac.run(null, null, errors, args.toArray(new String[0]));
  }

  @Test
  void aModuleRequiringTheCore_runsOnTheModulePath_withTheApiOnly() throws Exception {
    Path dir = Files.createTempDirectory("module-path-test");
    String modulePath = modulePath();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    Path out = dir.resolve("out");
    assertThat(compile(module(dir, USER), out, modulePath, errors)).as(errors.toString(StandardCharsets.UTF_8)).isZero();

    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", modulePath + File.pathSeparator + out,
                "-m", "moduletest/moduletest.Main")
            .redirectErrorStream(true)
            .start();
    String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(java.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("timed=true current=true", "count=1", "live=true", "page=true")
        .contains("module=dev.requesttiming.core exportsApi=true exportsEngine=false");
  }

  @Test
  void theEngine_isNotVisibleToAModule(@TempDir Path dir) throws Exception {
    String reachingIn = USER.replace(
        "import java.time.Duration;", "import java.time.Duration;\nimport dev.requesttiming.core.internal.engine.Engine;");
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    assertThat(compile(module(dir, reachingIn), dir.resolve("out"), modulePath(), errors)).isNotZero();
    assertThat(errors.toString(StandardCharsets.UTF_8))
        .contains("package dev.requesttiming.core.internal.engine is not visible");
  }
}
