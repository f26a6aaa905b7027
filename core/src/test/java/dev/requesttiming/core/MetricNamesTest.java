package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** metric-names=otel: OpenTelemetry's names, attributes and bucket advice, extended past the budget. */
class MetricNamesTest {

  private final MockClock clock = new MockClock();
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
  private final RequestTiming<TestRequest> timing =
      RequestTiming.create(
          registry,
          RequestTimingConfig.builder()
              .budget(Duration.ofSeconds(30))
              .endpointBudget("POST /api/chat", Duration.ofSeconds(60))
              .metricNames(RequestTimingConfig.MetricNames.OTEL)
              .reportInterval(Duration.ZERO)
              .prometheusDirect(RequestTimingConfig.PrometheusDirect.OFF) // the Micrometer timer's settings; PrometheusDirectTest: the same series
              .build(),
          TestRequest.ADAPTER);

  @AfterEach
  void close() {
    timing.close();
  }

  private void request(String method, String scheme, int status, Throwable error, long millis) {
    RequestBudget r = timing.start(new TestRequest(method, "/api/users/7").scheme(scheme).route("/api/users/{id}"));
    clock.add(Duration.ofMillis(millis));
    timing.finish(r, status, error);
  }

  @Test
  void otel_recordsTheRequestDuration_withSemanticConventionAttributes() {
    request("GET", "https", 200, null, 40);
    request("GET", "http", 200, null, 40);
    request("GET", "HTTPS", 503, null, 40);
    request("GET", "https", 500, new IllegalStateException("boom"), 40);

    assertThat(registry.find("http.server.requests").timers()).isEmpty();
    assertThat(registry.get("http.server.request.duration").timers())
        .extracting(t -> t.getId().getTags().toString())
        .containsExactlyInAnyOrder(
            "[tag(error.type=none), tag(http.request.method=GET), tag(http.response.status_code=200), tag(http.route=/api/users/{id}), tag(url.scheme=https)]",
            "[tag(error.type=none), tag(http.request.method=GET), tag(http.response.status_code=200), tag(http.route=/api/users/{id}), tag(url.scheme=http)]",
            "[tag(error.type=503), tag(http.request.method=GET), tag(http.response.status_code=503), tag(http.route=/api/users/{id}), tag(url.scheme=https)]",
            "[tag(error.type=IllegalStateException), tag(http.request.method=GET), tag(http.response.status_code=500), tag(http.route=/api/users/{id}), tag(url.scheme=https)]");
    assertThat(registry.get("http.server.request.budget").tag("http.route", "/api/users/{id}").gauge().value()).isEqualTo(30.0);
    assertThat(registry.get("http.server.request.budget.flagged").tag("budget.level", "warn").counter().count()).isZero();
  }

  @Test
  void otel_bucketsAreTheAdviceLadder_upToTheWarnLevel_thenTheBudgetLevels_andTwiceTheLargestBudget() {
    request("GET", "http", 200, null, 40);
    Timer timer = registry.get("http.server.request.duration").timer();

    assertThat(timer.takeSnapshot().histogramCounts())
        .extracting(c -> c.bucket() / 1e9)
        .containsExactly(
            0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 15.0, 24.0, 30.0, 45.0, 60.0, 120.0);
    assertThat(registry.scrape()).contains("http_server_request_duration_seconds_bucket{error_type=\"none\"");
  }

  @Test
  void spring_isTheDefault_andSchemeMakesNoExtraSeries() {
    PrometheusMeterRegistry spring = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RequestTiming<TestRequest> t = RequestTiming.create(spring, RequestTimingConfig.builder().prometheusDirect(RequestTimingConfig.PrometheusDirect.OFF).build(), TestRequest.ADAPTER);
    try {
      t.finish(t.start(new TestRequest("GET", "/api/hello").scheme("https")), 200, null);
      t.finish(t.start(new TestRequest("GET", "/api/hello").scheme("http")), 200, null);
      assertThat(spring.get("http.server.requests").timers()).singleElement()
          .satisfies(timer -> assertThat(timer.count()).isEqualTo(2));
    } finally {
      t.close();
    }
  }

  @Test
  void unknownNaming_isRejected() {
    assertThatThrownBy(() -> RequestTimingConfig.builder().set("metric-names", "statsd"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metric-names: 'statsd' is not a naming; use spring or otel");
  }
}
