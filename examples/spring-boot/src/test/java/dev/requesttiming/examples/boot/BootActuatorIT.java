package dev.requesttiming.examples.boot;

import static dev.requesttiming.core.PrometheusServer.get;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The example app as it runs in production, with Actuator, the Prometheus registry and tracing, started
 * with {@link SpringApplication} (no test slices, so the same test runs on Spring Boot 3.5 and 4.x;
 * see {@code examples/spring-boot3}). Actuator records {@code http.server.requests}; request-timing
 * gives that timer its histogram, keeps one in-flight meter, flags slow requests with their trace
 * ids, and exemplars link the histogram to the traces ({@link PrometheusRulesIT} has the real
 * Prometheus).
 */
class BootActuatorIT {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** A trace the client started: the app continues it (W3C trace context), so its id is known here. */
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  /** Registered with the app: spans that tracing exports land here. */
  static class SpanCapture {
    @Bean
    InMemorySpanExporter inMemorySpanExporter() {
      return InMemorySpanExporter.create();
    }
  }

  static ConfigurableApplicationContext app;
  static String base;
  static LogCapture budgetLog;

  @BeforeAll
  static void startApp() {
    // as command-line arguments, which win over the app's application.properties
    app =
        new SpringApplicationBuilder(BootDemoApplication.class, SpanCapture.class)
            .run(
                "--server.port=0",
                // 3s: warn at 1.5s, critical at 2.4s, 2x at 6s; none is one of Micrometer's default buckets
                "--request-timing.budget=3s",
                "--request-timing.endpoint-budgets=POST /api/chat=3s",
                "--management.tracing.sampling.probability=1.0");
    budgetLog = LogCapture.of("dev.requesttiming.budget"); // after the start: Boot sets logging up anew
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stopApp() {
    if (app != null) {
      app.close();
    }
    if (budgetLog != null) {
      budgetLog.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String scrape() throws Exception {
    return send("GET", "/actuator/prometheus").body();
  }

  private static long count(String scrape, String uri) {
    Matcher m = Pattern.compile("(?m)^http_server_requests_seconds_count\\{([^}]*uri=\"" + Pattern.quote(uri) + "\"[^}]*)} ([0-9.]+)").matcher(scrape);
    long total = 0;
    while (m.find()) {
      total += (long) Double.parseDouble(m.group(2));
    }
    return total;
  }

  /** For every sample name of a Prometheus text scrape, the distinct sets of label names it comes with. */
  private static Map<String, Set<Set<String>>> labelSets(String scrape) {
    Map<String, Set<Set<String>>> sets = new HashMap<>();
    Matcher line = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? ").matcher(scrape);
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"(?:[^\"\\\\]|\\\\.)*\"");
    while (line.find()) {
      Set<String> names = new TreeSet<>();
      if (line.group(2) != null) {
        Matcher l = label.matcher(line.group(2));
        while (l.find()) {
          names.add(l.group(1));
        }
      }
      sets.computeIfAbsent(line.group(1), k -> new java.util.HashSet<>()).add(names);
    }
    return sets;
  }

  @Test
  void actuatorsTimer_hasOurHistogram_everyRequestCountedOnce_andEveryMetricHasOneLabelSet() throws Exception {
    for (int i = 0; i < 30; i++) {
      assertThat(send("GET", "/api/users/u" + i).statusCode()).isEqualTo(200);
    }

    await().atMost(10, SECONDS).untilAsserted(() -> {
      String scrape = scrape();
      assertThat(count(scrape, "/api/users/{id}")).isEqualTo(30);
      // Boot's timer (its own "error" tag: request-timing left http.server.requests to it) ...
      assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{error=\"none\",exception=\"none\",method=\"GET\"");
      // ... with our buckets: the warn level (1.5s) and twice the budget (6s)
      assertThat(scrape)
          .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/users/\\{id}\",le=\"1.5\"} 30")
          .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/users/\\{id}\",le=\"6.0\"} 30")
          .contains("http_server_requests_budget_seconds{method=\"GET\",uri=\"/api/users/{id}\"} 3.0");
    });

    Map<String, Set<Set<String>>> sets = labelSets(scrape());
    assertThat(sets).containsKeys("http_server_requests_seconds_bucket", "http_server_requests_active_seconds_count");
    sets.forEach((name, labels) -> assertThat(labels).as(name + " has one label set").hasSize(1));
    assertThat(sets.get("http_server_requests_active_seconds_count")).containsExactly(Set.of("method", "uri"));
  }

  @Test
  void slowRequest_isFlaggedWithItsTraceId_itsBucketCarriesTheExemplar_andItsSpanIsExported() throws Exception {
    String parentSpan = "00f067aa0ba902b7";
    HttpResponse<String> slow = send("GET", "/api/slow?ms=3300", "traceparent", "00-" + TRACE_ID + "-" + parentSpan + "-01");
    assertThat(slow.statusCode()).isEqualTo(200);

    await().atMost(10, SECONDS).untilAsserted(() -> {
      List<ILoggingEvent> flags = budgetLog.events().stream()
          .filter(e -> e.getFormattedMessage().startsWith("GET /api/slow")).toList();
      assertThat(flags).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("still running after") && m.contains("(critical)") && m.contains("traceId=" + TRACE_ID))
          .allMatch(m -> m.contains("traceId=" + TRACE_ID));
      assertThat(flags).allSatisfy(e -> assertThat(LogCapture.keyValues(e)).contains("traceId=" + TRACE_ID));
    });

    String openMetrics = send("GET", "/actuator/prometheus", "Accept", "application/openmetrics-text;version=1.0.0").body();
    assertThat(openMetrics).containsPattern(
        "http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/slow\"[^}]*} 1 # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"" + TRACE_ID + "\"}");
    assertThat(openMetrics).containsPattern(
        "http_server_requests_budget_flagged_total\\{level=\"exceeded\",method=\"GET\",uri=\"/api/slow\"} 1");

    InMemorySpanExporter spans = app.getBean(InMemorySpanExporter.class);
    await().atMost(20, SECONDS).untilAsserted(() ->
        assertThat(spans.getFinishedSpanItems()).extracting(SpanData::getTraceId).contains(TRACE_ID));
  }

  @Test
  void chat_usesTheRemainingBudget_andAnswers504InsteadOfBeingKilled() throws Exception {
    HttpResponse<String> answer = send("POST", "/api/chat?backendMs=5000");
    assertThat(answer.statusCode()).isEqualTo(504);
    assertThat(answer.body()).contains("did not answer within the remaining budget");
    assertThat(send("POST", "/api/chat?backendMs=50").statusCode()).isEqualTo(200);
    assertThat(get(base + "/actuator/health").body()).contains("UP");
  }
}
