package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.tracer.common.SpanContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * prometheus-direct: the request timer published from striped cells is, scrape for scrape, the
 * series Micrometer's timer publishes; and where that cannot be promised, Micrometer's timer is used.
 */
class PrometheusDirectTest {

  private static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final List<RequestTiming> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(RequestTiming::close);
  }

  /** A registry as an app would set one up, with a common tag, on its own mock clock. */
  private static PrometheusMeterRegistry registry(MockClock clock) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), clock);
    registry.config().commonTags("app", "shop");
    return registry;
  }

  private RequestTiming<TestRequest> timing(PrometheusMeterRegistry registry, String metricNames, String direct) {
    return timing(registry, RequestTimingConfig.builder().set("metric-names", metricNames).set("prometheus-direct", direct));
  }

  private RequestTiming<TestRequest> timing(PrometheusMeterRegistry registry, RequestTimingConfig.Builder config) {
    RequestTiming<TestRequest> timing =
        RequestTiming.create(
            registry, config.budget(Duration.ofSeconds(30)).reportInterval(Duration.ZERO).build(), TestRequest.ADAPTER);
    started.add(timing);
    return timing;
  }

  /** The same requests, durations and errors, from 0 to past the largest bucket. */
  private static void traffic(RequestTiming<TestRequest> timing, MockClock clock) {
    long[] millis = {0, 1, 3, 40, 40, 250, 999, 1000, 7_500, 29_000, 61_000, 200_000};
    int i = 0;
    for (long ms : millis) {
      String method = i % 3 == 0 ? "POST" : "GET";
      String route = i % 2 == 0 ? "/api/chat" : "/api/users/{id}";
      RequestBudget request = timing.start(new TestRequest(method, "/x").scheme(i % 4 == 0 ? "https" : "http").route(route));
      clock.add(Duration.ofMillis(ms));
      int status = i % 5 == 4 ? 503 : 200;
      timing.finish(request, status, i % 6 == 5 ? new IllegalStateException("boom") : null);
      i++;
    }
  }

  private static String series(PrometheusMeterRegistry registry, String contentType, String family) {
    return Arrays.stream(registry.scrape(contentType).split("\n"))
        .filter(line -> line.startsWith(family) || line.matches("# (HELP|TYPE|UNIT) " + family + "(_max)? .*"))
        .sorted()
        .collect(Collectors.joining("\n"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"spring", "otel"})
  void theScrape_isMicrometersTimer_lineForLine(String metricNames) {
    MockClock micrometerClock = new MockClock();
    MockClock directClock = new MockClock();
    PrometheusMeterRegistry viaMicrometer = registry(micrometerClock);
    PrometheusMeterRegistry direct = registry(directClock);
    traffic(timing(viaMicrometer, metricNames, "off"), micrometerClock);
    traffic(timing(direct, metricNames, "auto"), directClock);
    String family = metricNames.equals("spring") ? "http_server_requests_seconds" : "http_server_request_duration_seconds";
    String micrometerName = metricNames.equals("spring") ? "http.server.requests" : "http.server.request.duration";

    assertThat(viaMicrometer.find(micrometerName).timers()).hasSizeGreaterThan(4);
    assertThat(direct.find(micrometerName).meters()).as("not recorded through Micrometer").isEmpty();
    for (String contentType : List.of(TEXT, OPEN_METRICS)) {
      String expected = series(viaMicrometer, contentType, family);
      assertThat(expected).contains(family + "_bucket{", family + "_count{", family + "_sum{", family + "_max{", "app=\"shop\"");
      assertThat(series(direct, contentType, family)).as(contentType).isEqualTo(expected);
    }
  }

  /** Requests stamped by a proxy, which waited from 0 to past the largest bucket for a worker. */
  private static void stampedTraffic(RequestTiming<TestRequest> timing, MockClock clock) {
    for (long waited : new long[] {0, 1, 3, 40, 40, 250, 999, 1000, 7_500, 29_000, 61_000, 200_000}) {
      long stamp = clock.wallTime() - waited;
      RequestBudget request = timing.start(new TestRequest("GET", "/x").header("X-Request-Start", "t=" + stamp));
      clock.add(Duration.ofMillis(5));
      timing.finish(request, 200, null);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"spring", "otel"})
  void theQueueTimer_isMicrometersTimer_lineForLine(String metricNames) {
    MockClock micrometerClock = new MockClock();
    MockClock directClock = new MockClock();
    for (MockClock clock : List.of(micrometerClock, directClock)) {
      clock.add(Duration.ofMillis(1_733_212_345_000L)); // stamps are told apart by magnitude: today's
    }
    PrometheusMeterRegistry viaMicrometer = registry(micrometerClock);
    PrometheusMeterRegistry direct = registry(directClock);
    RequestTimingConfig.Builder stamped = RequestTimingConfig.builder()
        .set("metric-names", metricNames).set("request-start-header", "X-Request-Start");
    stampedTraffic(timing(viaMicrometer, stamped.set("prometheus-direct", "off")), micrometerClock);
    stampedTraffic(timing(direct, stamped.set("prometheus-direct", "auto")), directClock);
    String family = metricNames.equals("spring") ? "http_server_requests_queue_seconds" : "http_server_request_time_in_queue_seconds";
    String micrometerName = metricNames.equals("spring") ? "http.server.requests.queue" : "http.server.request.time_in_queue";

    assertThat(viaMicrometer.get(micrometerName).timer().count()).isEqualTo(12);
    assertThat(direct.find(micrometerName).meters()).as("not recorded through Micrometer").isEmpty();
    for (String contentType : List.of(TEXT, OPEN_METRICS)) {
      String expected = series(viaMicrometer, contentType, family);
      assertThat(expected).contains(family + "_bucket{", family + "_count{", family + "_sum{", family + "_max{", "app=\"shop\"");
      assertThat(series(direct, contentType, family)).as(contentType).isEqualTo(expected);
    }
  }

  @Test
  void theMaximum_decaysAsMicrometersDoes() {
    MockClock micrometerClock = new MockClock();
    MockClock directClock = new MockClock();
    PrometheusMeterRegistry viaMicrometer = registry(micrometerClock);
    PrometheusMeterRegistry direct = registry(directClock);
    traffic(timing(viaMicrometer, "spring", "off"), micrometerClock);
    traffic(timing(direct, "spring", "auto"), directClock);
    for (int minute = 0; minute < 4; minute++) {
      micrometerClock.add(Duration.ofSeconds(61));
      directClock.add(Duration.ofSeconds(61));
      assertThat(series(direct, TEXT, "http_server_requests_seconds_max"))
          .isEqualTo(series(viaMicrometer, TEXT, "http_server_requests_seconds_max"));
    }
    assertThat(series(direct, TEXT, "http_server_requests_seconds_max")).contains("} 0.0");
  }

  @Test
  void aRegistrySamplingExemplars_keepsMicrometersTimer() {
    PrometheusMeterRegistry traced =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MockClock(), new NoSpan());
    RequestTiming<TestRequest> timing = timing(traced, "spring", "auto");
    timing.finish(timing.start(new TestRequest("GET", "/x").route("/api/chat")), 200, null);

    assertThat(traced.get("http.server.requests").timer().count()).isEqualTo(1);
  }

  @Test
  void aFilterDenyingTheTimer_isObeyed() {
    PrometheusMeterRegistry registry = registry(new MockClock());
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("http.server.requests")));
    RequestTiming<TestRequest> timing = timing(registry, "spring", "auto");
    timing.finish(timing.start(new TestRequest("GET", "/x").route("/api/chat")), 200, null);

    assertThat(registry.scrape()).doesNotContain("http_server_requests_seconds").contains("http_server_requests_active");
  }

  @Test
  void aMeterOfTheSameName_elsewhere_keepsMicrometersTimer_andTheScrapeWorks() {
    PrometheusMeterRegistry registry = registry(new MockClock());
    Timer.builder("http.server.requests")
        .tags("method", "GET", "uri", "/other", "status", "200", "outcome", "SUCCESS", "exception", "none")
        .publishPercentileHistogram()
        .register(registry)
        .record(5, TimeUnit.MILLISECONDS);
    RequestTiming<TestRequest> timing = timing(registry, "spring", "auto");
    timing.finish(timing.start(new TestRequest("GET", "/x").route("/api/chat")), 200, null);

    assertThat(registry.get("http.server.requests").timers()).hasSize(2);
    assertThat(registry.scrape()).contains("uri=\"/api/chat\"").contains("uri=\"/other\"");
  }

  @Test
  void twoInstancesOnOneRegistry_shareOneSeries_untilTheLastCloses() {
    PrometheusMeterRegistry registry = registry(new MockClock());
    RequestTiming<TestRequest> first = timing(registry, "spring", "auto");
    RequestTiming<TestRequest> second = timing(registry, "spring", "auto");
    first.finish(first.start(new TestRequest("GET", "/x").route("/api/chat")), 200, null);
    second.finish(second.start(new TestRequest("GET", "/x").route("/api/chat")), 200, null);

    assertThat(registry.scrape()).contains("http_server_requests_seconds_count{app=\"shop\",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/chat\"} 2");
    first.close();
    assertThat(registry.scrape()).contains("http_server_requests_seconds_count{");
    second.close();
    assertThat(registry.scrape()).doesNotContain("http_server_requests_seconds");
    RequestTiming<TestRequest> third = timing(registry, "spring", "auto");
    third.finish(third.start(new TestRequest("GET", "/x").route("/api/chat")), 200, null);
    assertThat(registry.scrape()).contains("uri=\"/api/chat\"} 1");
  }

  /** A tracer with no span: a registry built with it samples exemplars (of which there are none here). */
  private static final class NoSpan implements SpanContext {
    @Override
    public String getCurrentTraceId() {
      return null;
    }

    @Override
    public String getCurrentSpanId() {
      return null;
    }

    @Override
    public boolean isCurrentSpanSampled() {
      return false;
    }

    @Override
    public void markCurrentSpanAsExemplar() {}
  }
}
