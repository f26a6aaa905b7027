package dev.requesttiming.examples.boot;

import static dev.requesttiming.core.PrometheusServer.get;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.requesttiming.core.PrometheusServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Prometheus scrapes the example app's /actuator/prometheus (Actuator's timer with our
 * histogram) and the shipped recording rules return values for its endpoints.
 *
 * <p>Spans are not sampled here: Debian's Prometheus (2.42) rejects the exemplars Micrometer puts on
 * a histogram's {@code _count} ("does not support exemplars"); Prometheus 2.43 and later take them.
 */
class PrometheusRulesIT {

  private static final Path RULES = Path.of("../prometheus/rules.yml").toAbsolutePath().normalize();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static void post(String url) throws Exception {
    CLIENT.send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Test
  void shippedRules_returnValues_forTheAppsEndpoints(@TempDir Path tmp) throws Exception {
    PrometheusServer.requireBinary("prometheus");
    try (ConfigurableApplicationContext app =
            new SpringApplicationBuilder(BootDemoApplication.class)
                .run("--server.port=0", "--request-timing.budget=3s", "--management.tracing.sampling.probability=0");
        PrometheusServer prometheus = PrometheusServer.start(
            tmp, RULES, Integer.parseInt(app.getEnvironment().getProperty("local.server.port")), "/actuator/prometheus")) {
      String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
      post(base + "/api/chat?backendMs=5");
      // rate() needs the series before the requests it counts
      await().atMost(20, SECONDS).pollInterval(Duration.ofMillis(500))
          .untilAsserted(() -> assertThat(prometheus.query("http_server_requests_seconds_count{uri=\"/api/chat\"}"))
              .as(prometheus::targets).contains("/api/chat"));
      for (int i = 0; i < 40; i++) {
        post(base + "/api/chat?backendMs=" + (10 + i));
        get(base + "/api/users/" + i);
      }
      await().atMost(30, SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
        assertThat(prometheus.value("method_uri:http_server_requests_seconds:p99_5m{uri=\"/api/chat\"}")).isBetween(0.01, 1.0);
        assertThat(prometheus.value("method_uri:http_server_requests_seconds:p95_5m{uri=\"/api/chat\"}")).isBetween(0.01, 1.0);
        assertThat(prometheus.value("method_uri:http_server_requests_budget_pressure:p99_5m{uri=\"/api/chat\"}")).isBetween(0.003, 0.4);
        assertThat(prometheus.query("method_uri:http_server_requests_budget_pressure:top10")).contains("/api/chat");
      });
    }
  }
}
