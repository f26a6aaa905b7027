package dev.requesttiming.examples;

import static dev.requesttiming.core.PrometheusServer.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.requesttiming.core.PrometheusServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's /metrics scraped by a real Prometheus server on loopback with the shipped rules, the
 * rules checked by promtool, and every query of the shipped Grafana dashboard run against it. Needs Debian's {@code prometheus} package, which {@code .ci/run} installs;
 * elsewhere the test is skipped unless {@code CI} is set, where a missing binary fails it.
 */
class PrometheusIT {

  private static final Path RULES_DIR = Path.of("prometheus").toAbsolutePath();
  private static final Path DASHBOARD = Path.of("grafana", "request-timing.json").toAbsolutePath();

  private final List<Process> processes = new ArrayList<>();
  private DemoServer demo;
  private PrometheusServer prometheus;

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (demo != null) {
      demo.close();
    }
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
    PrometheusServer.requireBinary("promtool");
    assertThat(run(RULES_DIR, "promtool", "check", "rules", "rules.yml")).contains("SUCCESS: 10 rules found");
    assertThat(run(RULES_DIR, "promtool", "test", "rules", "rules.test.yml")).contains("SUCCESS");
  }

  @Test
  @Timeout(value = 110, unit = TimeUnit.SECONDS)
  void realPrometheus_scrapesTheDemo_andTheRulesAndAlertsWork(@TempDir Path tmp) throws Exception {
    PrometheusServer.requireBinary("prometheus");
    demo = DemoServer.start(new DemoOptions(0, "1s", "0", false, true));
    String app = "http://127.0.0.1:" + demo.port();
    prometheus = PrometheusServer.start(tmp, RULES_DIR.resolve("rules.yml"), demo.port(), "/metrics");
    PrometheusServer prom = prometheus;

    // Fast requests first, so the endpoint's flag counters are scraped at zero before any flag.
    for (int i = 0; i < 50; i++) {
      get(app + "/api/slow?ms=20");
      get(app + "/api/hello");
    }
    await().atMost(20, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
        .until(() -> prom.query("http_server_requests_budget_flagged_total{uri=\"/api/slow\",level=\"exceeded\"}").contains("\"0\""));

    // Now requests past the 1s budget, alongside normal ones.
    List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      slow.add(CompletableFuture.supplyAsync(() -> get(app + "/api/slow?ms=1300")));
    }
    for (int i = 0; i < 100; i++) {
      get(app + "/api/slow?ms=" + (50 + i * 2));
    }
    slow.forEach(CompletableFuture::join);

    // Requests as a proxy in front passes them on: stamped when it received them, some 20ms ago,
    // and a few 1.5s ago, past the 1s budget: answered 503 unrun (shed-spent).
    for (int i = 0; i < 20; i++) {
      assertThat(stamped(app + "/api/hello", 20)).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(stamped(app + "/api/hello", 1_500)).isEqualTo(503);
    }

    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1))
        .until(() -> prom.value("sum(http_server_requests_budget_flagged_total{uri=\"/api/slow\",level=\"exceeded\"})") >= 6);

    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      double p95 = prom.value(
          "histogram_quantile(0.95, sum by (le) (rate(http_server_requests_seconds_bucket{uri=\"/api/slow\"}[1m])))");
      assertThat(p95).isBetween(0.1, 2.0);
      assertThat(prom.query("method_uri:http_server_requests_seconds:p99_5m{uri=\"/api/slow\"}")).contains("\"uri\":\"/api/slow\"");
      assertThat(prom.value("method_uri:http_server_requests_budget_pressure:p99_5m{uri=\"/api/slow\"}")).isPositive();
      assertThat(prom.query("method_uri:http_server_requests_budget_pressure:top10")).contains("/api/slow");
      String alerts = prom.alerts();
      assertThat(alerts).containsPattern("\"alertname\":\"RequestsExceedingBudget\"[^}]*\"uri\":\"/api/slow\"");
      assertThat(alerts).containsPattern("\"state\":\"(pending|firing)\"");
    });
    await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(queriesWithoutData(prom)).isEqualTo(NEEDS_TRAFFIC_THE_DEMO_LACKS));
  }

  /** Dashboard queries that read what this test's traffic does not make: none, every panel has data. */
  private static final List<String> NEEDS_TRAFFIC_THE_DEMO_LACKS = List.of();

  /** A GET stamped {@code agoMillis} before now in the demo's request-start header; its status. */
  private static int stamped(String url, long agoMillis) throws Exception {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) - agoMillis * 1000;
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header(DemoServer.STAMP, "t=" + micros).build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  /**
   * Every query of every panel of the Grafana dashboard, its variables at "All", run by the demo's
   * Prometheus: none may fail; returns those that find no data, by panel and query.
   */
  private static List<String> queriesWithoutData(PrometheusServer prom) throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    List<String> empty = new ArrayList<>();
    for (JsonNode panel : dashboard.get("panels")) {
      for (JsonNode target : panel.path("targets")) {
        String expr = target.get("expr").asText().replace("$instance", ".*").replace("$uri", ".*");
        String answer = prom.query(expr);
        assertThat(answer).as(panel.get("title").asText() + ": " + expr).contains("\"status\":\"success\"");
        if (answer.contains("\"result\":[]")) {
          empty.add(panel.get("title").asText() + " " + target.get("refId").asText());
        }
      }
    }
    for (JsonNode variable : dashboard.at("/templating/list")) {
      if (variable.get("type").asText().equals("query")) {
        String series = variable.get("definition").asText().replaceAll("label_values\\((.*), \\w+\\)", "$1").replace("$instance", ".*");
        assertThat(prom.query(series)).as(variable.get("name").asText()).contains("\"result\":[{");
      }
    }
    return empty;
  }
}
