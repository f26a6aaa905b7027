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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestTimingTest {

  private final MockClock clock = new MockClock();
  private final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);

  private RequestTiming<TestRequest> timing(RequestTimingConfig config) {
    return RequestTiming.create(registry, config, TestRequest.ADAPTER);
  }

  private Timer timer(String uri, String status) {
    return registry.get("http.server.requests").tag("uri", uri).tag("status", status).timer();
  }

  @Test
  void finishedRequest_recordsItsDurationUnderItsEndpoint() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.defaults());
    RequestBudget r = timing.start(new TestRequest("GET", "/api/orders/17"));
    clock.add(Duration.ofMillis(250));
    timing.finish(r, 200, null);

    Timer timer = timer("/api/orders/{id}", "200");
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
    assertThat(timer.getId().getTag("outcome")).isEqualTo("SUCCESS");
    assertThat(timer.getId().getTag("exception")).isEqualTo("none");
  }

  @Test
  void finish_isCountedOnce() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.defaults());
    RequestBudget r = timing.start(new TestRequest("GET", "/a"));
    timing.finish(r, 200, null);
    timing.finish(r, 500, new IllegalStateException());
    assertThat(timer("/a", "200").count()).isEqualTo(1);
    assertThat(registry.find("http.server.requests").tag("status", "500").timer()).isNull();
  }

  @Test
  void routeFromTheCarrier_namesTheEndpointAtFinish() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.defaults());
    TestRequest carrier = new TestRequest("GET", "/users/alice");
    RequestBudget r = timing.start(carrier);
    carrier.route("/users/{name}");
    timing.finish(r, 200, null);
    assertThat(timer("/users/{name}", "200").count()).isEqualTo(1);
  }

  @Test
  void exception_taggedWithItsSimpleName() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.defaults());
    timing.finish(timing.start(new TestRequest("POST", "/a")), 500, new IllegalArgumentException());
    Timer timer = timer("/a", "500");
    assertThat(timer.getId().getTag("exception")).isEqualTo("IllegalArgumentException");
    assertThat(timer.getId().getTag("method")).isEqualTo("POST");
    assertThat(timer.getId().getTag("outcome")).isEqualTo("SERVER_ERROR");
  }

  @Test
  void oddMethods_becomeUnknown() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.defaults());
    timing.finish(timing.start(new TestRequest("PROPFIND", "/a")), 207, null);
    timing.finish(timing.start(new TestRequest("get", "/a")), 200, null);
    assertThat(registry.get("http.server.requests").tag("method", "UNKNOWN").timers()).hasSize(2);
  }

  @Test
  void excludedPath_isNotTimed() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().exclude("/health").build());
    assertThat(timing.start(new TestRequest("GET", "/health")).isUnlimited()).isTrue(); // start never returns null
    assertThat(registry.find("http.server.requests").timers()).isEmpty();
  }

  @Test
  void activeRequests_countedFromTheWatchdogsScan_untilTheyFinish() {
    RequestTiming<TestRequest> timing =
        timing(RequestTimingConfig.builder().watchdogInterval(Duration.ofMinutes(1)).build());
    TestRequest carrier = new TestRequest("GET", "/api/users/alice");
    RequestBudget running = timing.start(carrier);
    carrier.route("/api/users/{name}");
    RequestBudget quick = timing.start(new TestRequest("GET", "/api/quick"));
    timing.finish(quick, 200, null);
    assertThat(registry.find("http.server.requests.active").longTaskTimers())
        .allSatisfy(ltt -> assertThat(ltt.activeTasks()).isZero());

    timing.watchdog().scan();
    LongTaskTimer active =
        registry.get("http.server.requests.active").tag("uri", "/api/users/{name}").longTaskTimer();
    assertThat(active.activeTasks()).isEqualTo(1);
    assertThat(registry.get("http.server.requests.active").tag("uri", "/api/quick").longTaskTimer().activeTasks())
        .isZero();
    clock.add(Duration.ofSeconds(3));
    assertThat(active.max(TimeUnit.SECONDS)).isEqualTo(3.0);

    timing.watchdog().scan(); // seen already: not counted twice
    assertThat(active.activeTasks()).isEqualTo(1);
    timing.finish(running, 200, null);
    assertThat(active.activeTasks()).isZero();

    RequestBudget scanner = timing.start(new TestRequest("GET", "/wp-admin/install.php"));
    timing.watchdog().scan(); // an unknown path in flight creates no endpoint: it is counted as UNKNOWN
    assertThat(registry.get("http.server.requests.active").tag("uri", "UNKNOWN").longTaskTimer().activeTasks())
        .isEqualTo(1);
    assertThat(registry.find("http.server.requests.active").tag("uri", "/wp-admin/install.php").longTaskTimer())
        .isNull();
    timing.finish(scanner, 404, null);
  }

  @Test
  void beyondMaxEndpoints_newOnesAreOther() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().maxEndpoints(2).build());
    for (String path : new String[] {"/a", "/b", "/c", "/d", "/a"}) {
      timing.finish(timing.start(new TestRequest("GET", path)), 200, null);
    }
    assertThat(timer("/a", "200").count()).isEqualTo(2);
    assertThat(timer("/b", "200").count()).isEqualTo(1);
    assertThat(timer("OTHER", "200").count()).isEqualTo(2);
    timing.finish(timing.start(new TestRequest("GET", "/zzz")), 404, null);
    assertThat(timer("NOT_FOUND", "404").count()).isEqualTo(1);
  }

  @Test
  void detailedHistogram_reachesTwiceTheLargestBudget_withSloAtEachLevel() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RequestTiming<TestRequest> timing =
        RequestTiming.create(
            prometheus,
            RequestTimingConfig.builder()
                .endpointBudget("/slow", Duration.ofSeconds(60))
                .prometheusDirect(RequestTimingConfig.PrometheusDirect.OFF) // the Micrometer timer's settings; PrometheusDirectTest: the same series
                .histogram(RequestTimingConfig.Histogram.DETAILED)
                .build(),
            TestRequest.ADAPTER);
    timing.finish(timing.start(new TestRequest("GET", "/slow")), 200, null);
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
    RequestTiming<TestRequest> timing = RequestTiming.create(broken, RequestTimingConfig.defaults(), TestRequest.ADAPTER);
    RequestBudget r = timing.start(new TestRequest("GET", "/a"));
    timing.finish(r, 200, null);
    timing.close();
    assertThat(timing.engine().failOpen().count()).isPositive();
  }

  @Test
  void brokenRouteLookup_neverThrows() {
    RequestTiming<TestRequest> timing =
        RequestTiming.create(registry, RequestTimingConfig.defaults(), TestRequest.adapterRouting(c -> {
          throw new IllegalStateException("lookup broken");
        }));
    timing.finish(timing.start(new TestRequest("GET", "/a")), 200, null);
    assertThat(timer("/a", "200").count()).isEqualTo(1);
    assertThat(timing.engine().failOpen().count()).isEqualTo(1);
  }

  @Test
  void requestsTimerOff_recordsNoTimer_butEverythingElse() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().requestsTimer(RequestTimingConfig.RequestsTimer.OFF).build());
    timing.finish(timing.start(new TestRequest("GET", "/a")), 200, null);
    assertThat(registry.find("http.server.requests").timers()).isEmpty();
    assertThat(registry.get("http.server.requests.budget").tag("uri", "/a").gauge().value()).isEqualTo(30.0);
    assertThat(timing.reports().snapshot().totalRequests()).isEqualTo(1);
  }

  @Test
  void close_removesTheMeters() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.defaults());
    timing.finish(timing.start(new TestRequest("GET", "/a")), 200, null);
    assertThat(registry.getMeters()).isNotEmpty();
    timing.close();
    assertThat(registry.getMeters()).isEmpty();
    assertThat(timing.start(new TestRequest("GET", "/a")).isUnlimited()).isTrue(); // start never returns null
  }

  /** An adapter whose server received every request {@code before} ago, as Tomcat and Jetty say. */
  private static RequestAdapter<TestRequest> receivedBefore(Duration before) {
    return new RequestAdapter<>() {
      @Override
      public String method(TestRequest request) {
        return TestRequest.ADAPTER.method(request);
      }

      @Override
      public String path(TestRequest request) {
        return TestRequest.ADAPTER.path(request);
      }

      @Override
      public long receivedNanos(TestRequest request) {
        return System.nanoTime() - before.toNanos();
      }
    };
  }

  @Test
  void serversReceipt_startsTheRequestsTime_onTheSystemClock() {
    SimpleMeterRegistry system = new SimpleMeterRegistry();
    RequestTiming<TestRequest> timing = RequestTiming.create(system, RequestTimingConfig.defaults(), receivedBefore(Duration.ofMillis(300)));
    RequestBudget r = timing.start(new TestRequest("GET", "/api/orders/17"));
    assertThat(r.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    timing.finish(r, 200, null);

    Timer timer = system.get("http.server.requests").tag("uri", "/api/orders/{id}").timer();
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isBetween(300.0, 10_000.0);
    timing.close();
  }

  @Test
  void serversReceipt_isIgnored_onAnotherClock() {
    RequestTiming<TestRequest> timing = RequestTiming.create(registry, RequestTimingConfig.defaults(), receivedBefore(Duration.ofMillis(300)));
    RequestBudget r = timing.start(new TestRequest("GET", "/api/orders/17"));
    clock.add(Duration.ofMillis(250));
    timing.finish(r, 200, null);

    assertThat(timer("/api/orders/{id}", "200").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(250);
    timing.close();
  }
}
