package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's /metrics scraped by a real Prometheus server on loopback with the shipped rules, and the
 * rules checked by promtool. Needs Debian's {@code prometheus} package, which {@code .ci/run} installs;
 * elsewhere the test is skipped unless {@code CI} is set, where a missing binary fails it.
 */
class PrometheusIT {

  private static final Path RULES_DIR = Path.of("prometheus").toAbsolutePath();
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final List<Process> processes = new ArrayList<>();
  private DemoServer demo;

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (demo != null) {
      demo.close();
    }
  }

  private static void requireBinary(String name) {
    boolean present = Files.isExecutable(Path.of("/usr/bin", name)) || Files.isExecutable(Path.of("/usr/local/bin", name));
    if (System.getenv("CI") != null) {
      assertThat(present).as(name + " must be installed in CI (apt-get install prometheus)").isTrue();
    }
    assumeTrue(present, name + " is not installed (apt-get install prometheus)");
  }

  private String run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    processes.add(p);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command) + " said:\n" + out).isZero();
    return out;
  }

  @Test
  void shippedRules_passPromtoolCheckAndUnitTests() throws Exception {
    requireBinary("promtool");
    assertThat(run(RULES_DIR, "promtool", "check", "rules", "rules.yml")).contains("SUCCESS: 7 rules found");
    assertThat(run(RULES_DIR, "promtool", "test", "rules", "rules.test.yml")).contains("SUCCESS");
  }

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS)
  void realPrometheus_scrapesTheDemo_andTheRulesAndAlertsWork(@TempDir Path tmp) throws Exception {
    requireBinary("prometheus");
    demo = DemoServer.start(new DemoOptions(0, "1s", "0", false, true));
    String app = "http://127.0.0.1:" + demo.port();
    int promPort = freePort();
    Files.copy(RULES_DIR.resolve("rules.yml"), tmp.resolve("rules.yml"));
    Files.writeString(
        tmp.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [rules.yml]
        scrape_configs:
          - job_name: demo
            metrics_path: /metrics
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(demo.port()));
    Process prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + tmp.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("prometheus.log").toFile())
            .start();
    processes.add(prometheus);
    String prom = "http://127.0.0.1:" + promPort;
    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> get(prom + "/-/ready").statusCode() == 200);

    // Fast requests first, so the endpoint's flag counters are scraped at zero before any flag.
    for (int i = 0; i < 50; i++) {
      get(app + "/api/slow?ms=20");
      get(app + "/api/hello");
    }
    await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
        .until(() -> query(prom, "http_server_requests_budget_flagged_total{uri=\"/api/slow\",level=\"exceeded\"}").contains("\"0\""));

    // Now requests past the 1s budget, alongside normal ones.
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      slow.add(CompletableFuture.supplyAsync(() -> get(app + "/api/slow?ms=1300")));
    }
    for (int i = 0; i < 100; i++) {
      get(app + "/api/slow?ms=" + (50 + i * 2));
    }
    slow.forEach(CompletableFuture::join);

    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1))
        .until(() -> value(query(prom, "sum(http_server_requests_budget_flagged_total{uri=\"/api/slow\",level=\"exceeded\"})")) >= 6);

    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      double p95 = value(query(prom,
          "histogram_quantile(0.95, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\"/api/slow\"}[1m])))"));
      assertThat(p95).isBetween(0.1, 2.0);
      assertThat(query(prom, "method_uri:http_server_requests_seconds:p99_5m{uri=\"/api/slow\"}")).contains("\"uri\":\"/api/slow\"");
      assertThat(value(query(prom, "method_uri:http_server_requests_budget_pressure:p99_5m{uri=\"/api/slow\"}"))).isPositive();
      assertThat(query(prom, "method_uri:http_server_requests_budget_pressure:top10")).contains("/api/slow");
      String alerts = get(prom + "/api/v1/alerts").body();
      assertThat(alerts).containsPattern("\"alertname\":\"RequestsExceedingBudget\"[^}]*\"uri\":\"/api/slow\"");
      assertThat(alerts).containsPattern("\"state\":\"(pending|firing)\"");
    });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(String url) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String query(String prom, String promql) {
    return get(prom + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
  }

  /** The first sample's value of an instant-query answer, or NaN when there is none. */
  private static double value(String answer) {
    Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(answer);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
