package dev.requesttiming.core;

import dev.requesttiming.core.internal.engine.CompletedFlags;
import dev.requesttiming.core.internal.engine.InFlightRequest;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Drives the watchdog with a mock clock: no sleeping, no background scans (interval 1 minute). */
class WatchdogTest {

  private final MockClock clock = new MockClock();
  private final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final LogCapture log = LogCapture.of("dev.requesttiming.budget");
  private final RequestTiming<TestRequest> timing =
      RequestTiming.create(
          registry,
          RequestTimingConfig.builder()
              .budget(Duration.ofSeconds(10))
              .endpointBudget("/api/reports/**", Duration.ofSeconds(60))
              .watchdogInterval(Duration.ofMinutes(1))
              .build(),
          TestRequest.ADAPTER);

  @AfterEach
  void close() {
    timing.close();
    log.close();
  }

  private double flagged(String uri, String level) {
    Search search = registry.find("http.server.requests.budget.flagged").tag("uri", uri).tag("level", level);
    return search.counter() == null ? 0 : search.counter().count();
  }

  private void advanceAndScan(long millis) {
    clock.add(Duration.ofMillis(millis));
    timing.watchdog().scan();
  }

  private RequestTiming<TestRequest> timingWithA10sBudget() {
    return timingWithA10sBudget(config -> {});
  }

  /** A 10 s budget, the watchdog left to the test, and what {@code more} sets besides. */
  private RequestTiming<TestRequest> timingWithA10sBudget(java.util.function.Consumer<RequestTimingConfig.Builder> more) {
    RequestTimingConfig.Builder config = RequestTimingConfig.builder().budget(Duration.ofSeconds(10)).watchdogInterval(Duration.ofMinutes(1));
    more.accept(config);
    return RequestTiming.create(registry, config.build(), TestRequest.ADAPTER);
  }

  /** A timing with a 10 s budget in an app whose framework names routes: one request finished under its route. */
  private RequestTiming<TestRequest> timingInARoutedApp() {
    RequestTiming<TestRequest> routed = timingWithA10sBudget();
    TestRequest first = new TestRequest("GET", "/owners/7");
    RequestBudget earlier = routed.start(first);
    first.route("/owners/{ownerId}");
    routed.finish(earlier, 200, null);
    return routed;
  }

  /**
   * In an app whose framework names routes, a request flagged before its route was set
   * was once flagged under its path ({@code /owners/{id}}) and then under its route: two names, and a
   * phantom endpoint in the report and the counters.
   */
  @Test
  void requestFlaggedBeforeItsRoute_keepsOneName_andMakesNoPathEndpoint() {
    RequestTiming<TestRequest> routed = timingInARoutedApp();
    try {

      TestRequest carrier = new TestRequest("GET", "/owners/1");
      RequestBudget r = routed.start(carrier);
      clock.add(Duration.ofMillis(5_000));
      routed.watchdog().scan(); // warn, before routing
      carrier.route("/owners/{ownerId}");
      clock.add(Duration.ofMillis(3_000));
      routed.watchdog().scan(); // critical, routed now
      clock.add(Duration.ofMillis(3_000));
      routed.finish(r, 200, null); // exceeded, at completion
      routed.watchdog().scan();

      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).hasSize(3)
          .allMatch(m -> m.startsWith("GET UNKNOWN "), "one name for the one request");
      assertThat(flagged("UNKNOWN", "warn") + flagged("UNKNOWN", "critical") + flagged("UNKNOWN", "exceeded")).isEqualTo(3);
      assertThat(registry.find("http.server.requests.budget.flagged").tag("uri", "/owners/{id}").counters())
          .as("no phantom endpoint of the path").isEmpty();
      assertThat(registry.get("http.server.requests").tag("uri", "/owners/{ownerId}").timer().count())
          .as("its time under its route").isEqualTo(2);
    } finally {
      routed.close();
    }
  }

  /**
   * A request seen in flight before it had a route (the first scrape, say) was counted
   * under {@code UNKNOWN}, which left permanent {@code uri="UNKNOWN"} budget and flag series.
   */
  @Test
  void requestSeenInFlightBeforeItsRoute_leavesNoUnknownBudgetOrFlagSeries() {
    RequestTiming<TestRequest> routed = timingInARoutedApp();
    try {

      TestRequest carrier = new TestRequest("GET", "/actuator/prometheus");
      RequestBudget r = routed.start(carrier);
      clock.add(Duration.ofMillis(100));
      routed.watchdog().scan(); // seen in flight, no route yet: counted active under UNKNOWN
      carrier.route("/actuator/prometheus");
      routed.finish(r, 200, null);

      assertThat(registry.find("http.server.requests.budget").tag("uri", "UNKNOWN").gauges()).isEmpty();
      assertThat(registry.find("http.server.requests.budget.flagged").tag("uri", "UNKNOWN").counters()).isEmpty();
      assertThat(registry.find("http.server.requests.active.peak").tag("uri", "UNKNOWN").gauges()).isEmpty();
      assertThat(registry.get("http.server.requests.budget").tag("uri", "/actuator/prometheus").gauge().value())
          .isEqualTo(10.0);
    } finally {
      routed.close();
    }
  }

  @Test
  void requestFlaggedAfterItsRoute_isFlaggedUnderTheRoute_everyTime() {
    RequestTiming<TestRequest> routed = timingWithA10sBudget();
    try {
      TestRequest carrier = new TestRequest("GET", "/owners/1");
      RequestBudget r = routed.start(carrier);
      carrier.route("/owners/{ownerId}");
      clock.add(Duration.ofMillis(5_000));
      routed.watchdog().scan();
      clock.add(Duration.ofMillis(6_000));
      routed.finish(r, 200, null);
      routed.watchdog().scan();
      // warn in flight, then critical and exceeded reached between scans: one line at completion
      assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage).hasSize(2)
          .allMatch(m -> m.startsWith("GET /owners/{ownerId} "));
    } finally {
      routed.close();
    }
  }

  @Test
  void flagLines_carryTheTraceIdsOnTheMdcWhenTheRequestStarted() {
    MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
    MDC.put("spanId", "00f067aa0ba902b7");
    RequestBudget r;
    try {
      r = timing.start(new TestRequest("GET", "/api/traced"));
    } finally {
      MDC.clear(); // the watchdog logs from its own thread, whose MDC is empty
    }
    advanceAndScan(5_000); // warn, in flight
    clock.add(Duration.ofMillis(3_000));
    timing.finish(r, 200, null); // critical, at completion
    advanceAndScan(0);

    assertThat(log.events()).hasSize(2).allSatisfy(e -> {
      assertThat(e.getFormattedMessage()).endsWith(" traceId=4bf92f3577b34da6a3ce929d0e0e4736 spanId=00f067aa0ba902b7");
      assertThat(LogCapture.keyValues(e)).contains("traceId=4bf92f3577b34da6a3ce929d0e0e4736", "spanId=00f067aa0ba902b7");
    });
  }

  @Test
  void noMdcValues_orNoMdcKeys_addNothing() {
    RequestBudget plain = timing.start(new TestRequest("GET", "/api/plain"));
    assertThat(((InFlightRequest) plain).logContext()).isNull();
    RequestTiming<TestRequest> off = RequestTiming.create(registry, RequestTimingConfig.builder().mdcKeys().build(), TestRequest.ADAPTER);
    MDC.put("traceId", "abc");
    try {
      assertThat(((InFlightRequest) off.start(new TestRequest("GET", "/api/x"))).logContext()).isNull();
      assertThat(((InFlightRequest) timing.start(new TestRequest("GET", "/api/y"))).logContext()).containsExactly("abc", null);
    } finally {
      MDC.clear();
      off.close();
    }
  }

  @Test
  void runningRequest_flaggedOncePerLevel_whileInFlight() {
    RequestBudget r = timing.start(new TestRequest("POST", "/api/chat"));

    advanceAndScan(4_999);
    assertThat(log.events()).isEmpty();

    advanceAndScan(1);
    assertThat(flagged("/api/chat", "warn")).isEqualTo(1);
    assertThat(log.messages())
        .singleElement()
        .asString()
        .matches("POST /api/chat still running after 5\\.0s: 50% of its 10s budget \\(warn\\) thread=\\S+ id=\\p{XDigit}+");

    advanceAndScan(1_000);
    assertThat(log.events()).hasSize(1);

    advanceAndScan(2_000); // 8s: critical, with the worker's stack
    assertThat(flagged("/api/chat", "critical")).isEqualTo(1);
    ILoggingEvent critical = log.events().get(1);
    assertThat(critical.getFormattedMessage()).contains("after 8.0s: 80% of its 10s budget (critical)");
    assertThat(critical.getThrowableProxy().getClassName()).endsWith("RequestStillRunning");
    assertThat(critical.getThrowableProxy().getStackTraceElementProxyArray())
        .isNotEmpty()
        .hasSizeLessThanOrEqualTo(RequestStillRunning.MAX_FRAMES);
    assertThat(LogCapture.keyValues(critical))
        .containsExactly(
            "event=budget_flag", "method=POST", "uri=/api/chat", "elapsed_ms=8000", "budget_ms=10000",
            "level=critical", "in_flight=true", "id=" + ((InFlightRequest) r).id());

    advanceAndScan(2_500);
    assertThat(flagged("/api/chat", "exceeded")).isEqualTo(1);
    assertThat(log.events().get(2).getThrowableProxy()).isNull();

    timing.finish(r, 200, null);
    advanceAndScan(1_000);
    assertThat(log.events()).hasSize(3);
    assertThat(flagged("/api/chat", "warn") + flagged("/api/chat", "critical") + flagged("/api/chat", "exceeded"))
        .isEqualTo(3);
  }

  @Test
  void levelTheWatchdogMissed_flaggedAtCompletion() {
    RequestBudget r = timing.start(new TestRequest("GET", "/api/orders/1"));
    clock.add(Duration.ofSeconds(11));
    timing.finish(r, 200, null);
    timing.watchdog().scan(); // logs what completion queued

    assertThat(flagged("/api/orders/{id}", "warn")).isEqualTo(1);
    assertThat(flagged("/api/orders/{id}", "critical")).isEqualTo(1);
    assertThat(flagged("/api/orders/{id}", "exceeded")).isEqualTo(1);
    // three levels reached at once: counted three times, logged once, at the highest
    assertThat(log.messages())
        .singleElement()
        .asString()
        .startsWith("GET /api/orders/{id} finished in 11.0s: 110% of its 10s budget (exceeded) status=200 id=")
        .as("no proxy is known: nobody is said to have given up")
        .doesNotContain("gave up", "given up", "proxy");
    assertThat(LogCapture.keyValues(log.events().get(0))).contains("in_flight=false", "status=200");
  }

  @Test
  void exceededPastAnUpstreamTimeout_namesTheLayerThatGaveUp() {
    RequestTiming<TestRequest> behindProxies = timingWithA10sBudget(
        config -> config.upstreamTimeout("nginx", Duration.ofSeconds(12)).upstreamTimeout("alb", Duration.ofSeconds(60)));
    try {
      RequestBudget inTime = behindProxies.start(new TestRequest("GET", "/api/a"));
      clock.add(Duration.ofSeconds(11));
      behindProxies.finish(inTime, 200, null);
      RequestBudget late = behindProxies.start(new TestRequest("GET", "/api/b"));
      clock.add(Duration.ofSeconds(13));
      behindProxies.finish(late, 200, null);
      behindProxies.watchdog().scan();

      assertThat(log.messages()).hasSize(2);
      assertThat(log.messages().get(0)).as("11 s: within nginx's 12 s").startsWith("GET /api/a finished in 11.0s").doesNotContain("gave up");
      assertThat(log.messages().get(1))
          .startsWith("GET /api/b finished in 13.0s")
          .endsWith("; nginx gave up at its 12s timeout, so status 200 is not what the user saw");
    } finally {
      behindProxies.close();
    }
  }

  @Test
  void completionFlagsBeyondTheQueue_areCountedButTheirLinesDropped_andSaidToBe() {
    // a line budget as large as the queue, so that the queue is what drops lines here
    RequestTiming<TestRequest> timing = timingWithA10sBudget(config -> config.flagLogLimit(CompletedFlags.MAX_QUEUED));
    int requests = CompletedFlags.MAX_QUEUED + 5;
    java.util.List<RequestBudget> running = new java.util.ArrayList<>();
    for (int i = 0; i < requests; i++) {
      running.add(timing.start(new TestRequest("GET", "/api/burst")));
    }
    clock.add(Duration.ofSeconds(6)); // past warn, but no scan saw them running
    running.forEach(r -> timing.finish(r, 200, null));
    timing.watchdog().scan();

    assertThat(flagged("/api/burst", "warn")).isEqualTo(requests);
    assertThat(log.messages()).hasSize(CompletedFlags.MAX_QUEUED + 1);
    assertThat(log.messages().get(CompletedFlags.MAX_QUEUED))
        .isEqualTo("5 flags of finished requests were not logged: the log could not keep up. They are counted"
            + " in http.server.requests.budget.flagged");
    timing.close();
  }

  @Test
  void fastRequests_flagNothing() {
    for (int i = 0; i < 200; i++) {
      RequestBudget r = timing.start(new TestRequest("GET", "/api/hello"));
      clock.add(Duration.ofMillis(20));
      timing.finish(r, 200, null);
    }
    timing.watchdog().scan();
    assertThat(log.events()).isEmpty();
    assertThat(registry.find("http.server.requests.budget.flagged").counters())
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void endpointBudget_appliesToItsRequests() {
    timing.start(new TestRequest("GET", "/api/reports/monthly"));
    advanceAndScan(15_000);
    assertThat(log.events()).isEmpty();
    advanceAndScan(15_000);
    assertThat(log.messages()).singleElement().asString().contains("50% of its 1m budget (warn)");
    assertThat(registry.get("http.server.requests.budget").tag("uri", "/api/reports/monthly").gauge().value())
        .isEqualTo(60.0);
  }

  @Test
  void asyncRequest_saysItsThreadIsUnknown() {
    RequestBudget r = timing.start(new TestRequest("GET", "/api/async"));
    timing.continueAsync(r);
    advanceAndScan(8_000);
    assertThat(log.messages())
        .last()
        .asString()
        .contains("(critical) thread=unknown (async)")
        .endsWith("(the request continues asynchronously: no worker thread to show)");
  }

  @Test
  void watchdog_survivesABrokenRouteLookup() {
    RequestTiming<TestRequest> broken =
        RequestTiming.create(
            registry,
            RequestTimingConfig.builder().budget(Duration.ofSeconds(10)).watchdogInterval(Duration.ofMinutes(1)).build(),
            TestRequest.adapterRouting(c -> {
              throw new IllegalStateException("lookup broken");
            }));
    broken.start(new TestRequest("GET", "/x"));
    clock.add(Duration.ofSeconds(6));
    broken.watchdog().run();
    assertThat(log.messages()).singleElement().asString().startsWith("GET /x still running");
    broken.close();
  }

  @Test
  void tenThousandInFlight_areAllWatched() {
    for (int i = 0; i < 10_000; i++) {
      timing.start(new TestRequest("GET", "/api/hello"));
    }
    clock.add(Duration.ofSeconds(1));
    for (int i = 0; i < 50; i++) {
      timing.watchdog().scan(); // warm up
    }
    long start = System.nanoTime();
    int scans = 200;
    for (int i = 0; i < scans; i++) {
      timing.watchdog().scan();
    }
    long perScanMicros = (System.nanoTime() - start) / scans / 1000;
    System.out.println("watchdog scan of 10,000 in-flight requests: " + perScanMicros + " µs");
    assertThat(timing.engine().inFlight().size()).isEqualTo(10_000);
  }
}
