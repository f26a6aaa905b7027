package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestTimingTest {

  private final MockClock clock = new MockClock();
  private final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final Map<Object, String> routes = new HashMap<>();

  private RequestTiming timing(RequestTimingConfig config) {
    return RequestTiming.create(registry, config, routes::get);
  }

  private Timer timer(String uri, String status) {
    return registry.get("http.server.requests").tag("uri", uri).tag("status", status).timer();
  }

  @Test
  void finishedRequest_recordsItsDurationUnderItsEndpoint() {
    RequestTiming timing = timing(RequestTimingConfig.defaults());
    RequestBudget r = timing.start("GET", "/api/orders/17", new Object());
    clock.add(Duration.ofMillis(250));
    r.finish(200, null);

    Timer timer = timer("/api/orders/{id}", "200");
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(timer.getId().getTag("outcome")).isEqualTo("SUCCESS");
    assertThat(timer.getId().getTag("exception")).isEqualTo("none");
  }

  @Test
  void finish_isCountedOnce() {
    RequestTiming timing = timing(RequestTimingConfig.defaults());
    RequestBudget r = timing.start("GET", "/a", new Object());
    r.finish(200, null);
    r.finish(500, new IllegalStateException());
    assertThat(timer("/a", "200").count()).isEqualTo(1);
    assertThat(registry.find("http.server.requests").tag("status", "500").timer()).isNull();
  }

  @Test
  void routeFromTheCarrier_namesTheEndpointAtFinish() {
    RequestTiming timing = timing(RequestTimingConfig.defaults());
    Object carrier = new Object();
    RequestBudget r = timing.start("GET", "/users/alice", carrier);
    routes.put(carrier, "/users/{name}");
    r.finish(200, null);
    assertThat(timer("/users/{name}", "200").count()).isEqualTo(1);
  }

  @Test
  void exception_taggedWithItsSimpleName() {
    RequestTiming timing = timing(RequestTimingConfig.defaults());
    timing.start("POST", "/a", new Object()).finish(500, new IllegalArgumentException());
    Timer timer = timer("/a", "500");
    assertThat(timer.getId().getTag("exception")).isEqualTo("IllegalArgumentException");
    assertThat(timer.getId().getTag("method")).isEqualTo("POST");
    assertThat(timer.getId().getTag("outcome")).isEqualTo("SERVER_ERROR");
  }

  @Test
  void oddMethods_becomeUnknown() {
    RequestTiming timing = timing(RequestTimingConfig.defaults());
    timing.start("PROPFIND", "/a", new Object()).finish(207, null);
    timing.start("get", "/a", new Object()).finish(200, null);
    assertThat(registry.get("http.server.requests").tag("method", "UNKNOWN").timers()).hasSize(2);
  }

  @Test
  void excludedPath_isNotTimed() {
    RequestTiming timing = timing(RequestTimingConfig.builder().exclude("/health").build());
    assertThat(timing.start("GET", "/health", new Object())).isNull();
    assertThat(registry.find("http.server.requests").timers()).isEmpty();
  }

  @Test
  void activeRequests_countedFromTheWatchdogsScan_untilTheyFinish() {
    RequestTiming timing =
        timing(RequestTimingConfig.builder().watchdogInterval(Duration.ofMinutes(1)).build());
    Object carrier = new Object();
    RequestBudget running = timing.start("GET", "/api/users/alice", carrier);
    routes.put(carrier, "/api/users/{name}");
    RequestBudget quick = timing.start("GET", "/api/quick", new Object());
    quick.finish(200, null);
    assertThat(registry.find("http.server.requests.active").longTaskTimers())
        .allSatisfy(ltt -> assertThat(ltt.activeTasks()).isZero());

    timing.watchdog.scan();
    LongTaskTimer active =
        registry.get("http.server.requests.active").tag("uri", "/api/users/{name}").longTaskTimer();
    assertThat(active.activeTasks()).isEqualTo(1);
    assertThat(registry.get("http.server.requests.active").tag("uri", "/api/quick").longTaskTimer().activeTasks())
        .isZero();
    clock.add(Duration.ofSeconds(3));
    assertThat(active.max(TimeUnit.SECONDS)).isEqualTo(3.0);

    timing.watchdog.scan(); // seen already: not counted twice
    assertThat(active.activeTasks()).isEqualTo(1);
    running.finish(200, null);
    assertThat(active.activeTasks()).isZero();

    RequestBudget scanner = timing.start("GET", "/wp-admin/install.php", new Object());
    timing.watchdog.scan(); // an unknown path in flight creates no endpoint: it is counted as UNKNOWN
    assertThat(registry.get("http.server.requests.active").tag("uri", "UNKNOWN").longTaskTimer().activeTasks())
        .isEqualTo(1);
    assertThat(registry.find("http.server.requests.active").tag("uri", "/wp-admin/install.php").longTaskTimer())
        .isNull();
    scanner.finish(404, null);
  }

  @Test
  void beyondMaxEndpoints_newOnesAreOther() {
    RequestTiming timing = timing(RequestTimingConfig.builder().maxEndpoints(2).build());
    for (String path : new String[] {"/a", "/b", "/c", "/d", "/a"}) {
      timing.start("GET", path, new Object()).finish(200, null);
    }
    assertThat(timer("/a", "200").count()).isEqualTo(2);
    assertThat(timer("/b", "200").count()).isEqualTo(1);
    assertThat(timer("OTHER", "200").count()).isEqualTo(2);
    timing.start("GET", "/zzz", new Object()).finish(404, null);
    assertThat(timer("NOT_FOUND", "404").count()).isEqualTo(1);
  }

  @Test
  void detailedHistogram_reachesTwiceTheLargestBudget_withSloAtEachLevel() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RequestTiming timing =
        RequestTiming.create(
            prometheus,
            RequestTimingConfig.builder()
                .endpointBudget("/slow", Duration.ofSeconds(60))
                .prometheusDirect("off") // the Micrometer timer's settings; PrometheusDirectTest: the same series
                .histogram("detailed")
                .build(),
            c -> null);
    timing.start("GET", "/slow", new Object()).finish(200, null);
    Timer timer = prometheus.get("http.server.requests").tag("uri", "/slow").timer();
    double[] buckets =
        java.util.Arrays.stream(timer.takeSnapshot().histogramCounts())
            .mapToDouble(b -> b.bucket(TimeUnit.SECONDS))
            .toArray();
    assertThat(buckets).contains(15.0, 24.0, 30.0, 60.0);
    assertThat(java.util.Arrays.stream(buckets).max().orElse(0)).isGreaterThanOrEqualTo(120.0);
  }

  @Test
  void brokenRegistry_neverThrows() {
    MeterRegistry broken =
        mock(MeterRegistry.class, invocation -> {
          throw new IllegalStateException("broken");
        });
    RequestTiming timing = RequestTiming.create(broken, RequestTimingConfig.defaults(), c -> null);
    RequestBudget r = timing.start("GET", "/a", new Object());
    r.finish(200, null);
    timing.close();
    assertThat(timing.failOpen.count()).isPositive();
  }

  @Test
  void brokenRouteLookup_neverThrows() {
    RequestTiming timing =
        RequestTiming.create(registry, RequestTimingConfig.defaults(), c -> {
          throw new IllegalStateException("lookup broken");
        });
    timing.start("GET", "/a", new Object()).finish(200, null);
    assertThat(timer("/a", "200").count()).isEqualTo(1);
    assertThat(timing.failOpen.count()).isEqualTo(1);
  }

  @Test
  void requestsTimerOff_recordsNoTimer_butEverythingElse() {
    RequestTiming timing = timing(RequestTimingConfig.builder().requestsTimer("off").build());
    timing.start("GET", "/a", new Object()).finish(200, null);
    assertThat(registry.find("http.server.requests").timers()).isEmpty();
    assertThat(registry.get("http.server.requests.budget").tag("uri", "/a").gauge().value()).isEqualTo(30.0);
    assertThat(timing.snapshot().totalRequests()).isEqualTo(1);
  }

  @Test
  void close_removesTheMeters() {
    RequestTiming timing = timing(RequestTimingConfig.defaults());
    timing.start("GET", "/a", new Object()).finish(200, null);
    assertThat(registry.getMeters()).isNotEmpty();
    timing.close();
    assertThat(registry.getMeters()).isEmpty();
    assertThat(timing.start("GET", "/a", new Object())).isNull();
  }
}
