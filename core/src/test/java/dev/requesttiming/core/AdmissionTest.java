package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Admission control under overload on a clock the test drives: {@code endpoint-limits} caps a
 * pattern, {@code endpoint-share} keeps one endpoint from taking every worker while others wait (and
 * never refuses while nobody does), {@code shed-late} refuses what cannot be answered in time; every
 * refusal is counted with its reason, and an episode is one WARN and one INFO.
 */
class AdmissionTest {

  private final StampedTimings timings = new StampedTimings();
  private final MockClock clock = timings.clock;
  private final MeterRegistry registry = timings.registry;
  private final LogCapture log = timings.log;
  /** Requests waiting in the "container's" queue, as the adapter's probe reads it. */
  private final AtomicInteger waiting = new AtomicInteger();

  private RequestTiming<TestRequest> timing(RequestTimingConfig.Builder config) {
    return timings.timing(config);
  }

  private TestRequest stamped(String path, long waitedMillis) {
    return timings.stamped(path, waitedMillis);
  }

  @AfterEach
  void close() {
    timings.close();
  }

  /** {@code n} requests wait in the container's queue from now on (its probe is read at most once a millisecond). */
  private void queued(int n) {
    waiting.set(n);
    clock.add(Duration.ofMillis(1));
  }

  private static TestRequest get(String path) {
    return new TestRequest("GET", path);
  }

  private double shed(String uri, String reason) {
    return registry.find("http.server.requests.budget.shed").tag("uri", uri).tag("reason", reason).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private List<ILoggingEvent> events(String event) {
    return log.events().stream().filter(e -> LogCapture.keyValues(e).contains("event=" + event)).toList();
  }

  /** Starts a request; returns its budget when admitted, null when refused (and finishes it as the adapter would). */
  private RequestBudget admitted(RequestTiming<TestRequest> timing, TestRequest request) {
    RequestBudget budget = timing.start(request);
    Refusal refusal = timing.refusal(budget);
    if (refusal == null) {
      return budget;
    }
    timing.finish(budget, Refusal.STATUS, null);
    return null;
  }

  @Test
  void withNoneOfItsParameters_nothingIsRefused_evenWithAFullPoolAndALongQueue() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder());
    timing.workers(4, "a test pool", waiting::get);
    queued(100);
    for (int i = 0; i < 50; i++) {
      RequestBudget budget = timing.start(stamped("/api/slow", 1_900));
      assertThat(timing.refusal(budget)).isNull();
    }
    timing.watchdog().scan();
    assertThat(registry.find("http.server.requests.budget.shed").counters()).isEmpty();
  }

  @Test
  void endpointLimits_capsEveryPathOfTheRuleTogether_andFreesAPlaceWhenOneFinishes() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointLimit("GET /reports/**", 2));
    RequestBudget first = admitted(timing, get("/reports/annual"));
    RequestBudget second = admitted(timing, get("/reports/daily"));
    assertThat(first).isNotNull();
    assertThat(second).isNotNull();

    RequestBudget third = timing.start(get("/reports/annual"));
    Refusal refusal = timing.refusal(third);
    assertThat(refusal).isNotNull();
    assertThat(refusal.reason()).isEqualTo("limit");
    assertThat(refusal.retryAfterSeconds()).isEqualTo(1);
    assertThat(refusal.message()).isEqualTo(
        "503 Service Unavailable: its endpoint has its limit of requests in flight; retry after 1 second.\n");
    timing.finish(third, Refusal.STATUS, null);
    assertThat(admitted(timing, get("/api/other"))).as("another endpoint is not capped").isNotNull();

    timing.finish(first, 200, null);
    assertThat(admitted(timing, get("/reports/weekly"))).as("a place was freed").isNotNull();
    assertThat(admitted(timing, get("/reports/annual"))).isNull();
    assertThat(shed("/reports/annual", "limit")).isEqualTo(2);
  }

  @Test
  void endpointLimits_holdForNewPaths_afterAScannerTookEveryGate() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().maxEndpoints(2).endpointLimit("GET /reports/**", 1));
    for (int i = 0; i < 10; i++) {
      timing.finish(admitted(timing, get("/scan/" + "abcdefghij".charAt(i))), 404, null);
    }
    RequestBudget first = admitted(timing, get("/reports/annual"));
    assertThat(first).isNotNull();
    assertThat(admitted(timing, get("/reports/daily"))).as("the rule's one place is taken").isNull();
    timing.finish(first, 200, null);
    RequestBudget next = admitted(timing, get("/reports/weekly"));
    assertThat(next).as("and given back").isNotNull();
    timing.finish(next, 200, null);
    assertThat(admitted(timing, get("/scan/zzz"))).as("no rule: admitted uncounted").isNotNull();
  }

  @Test
  void endpointShare_refusesAnEndpointOverItsShareWhileOthersWait_andNeverWhileNobodyWaits() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointShare(0.5));
    timing.workers(4, "a test pool", waiting::get);
    primeEndpoint(timing, "/api/slow");
    primeEndpoint(timing, "/api/hello"); // another endpoint has traffic

    // nobody waits: the slow endpoint may take every worker
    List<RequestBudget> slow = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slow.add(admitted(timing, get("/api/slow")));
    }
    assertThat(slow).doesNotContainNull();
    slow.forEach(b -> timing.finish(b, 200, null));

    // requests wait in the container's queue: it holds 2 of the 4 at most
    queued(3);
    slow.clear();
    for (int i = 0; i < 4; i++) {
      slow.add(admitted(timing, get("/api/slow")));
    }
    assertThat(slow).filteredOn(b -> b != null).hasSize(2);
    assertThat(admitted(timing, get("/api/hello"))).as("another endpoint gets a worker").isNotNull();

    // the decision holds though the queue emptied, as long as it keeps refusing and others are active
    queued(0);
    clock.add(Duration.ofMillis(1_500));
    primeEndpoint(timing, "/api/hello");
    assertThat(admitted(timing, get("/api/slow"))).isNull();
    // a place freed: admitted up to its share again
    timing.finish(slow.get(0), 200, null);
    assertThat(admitted(timing, get("/api/slow"))).isNotNull();
    // two seconds without a refusal: work-conserving again
    clock.add(Duration.ofMillis(2_100));
    primeEndpoint(timing, "/api/hello");
    assertThat(admitted(timing, get("/api/slow"))).isNotNull();

    assertThat(shed("/api/slow", "share")).isEqualTo(3);
    assertThat(registry.find("http.server.requests.budget.shed").tag("reason", "late").counters()).as("shed-late is off").isEmpty();
  }

  @Test
  void endpointShare_whenItsOwnRequestsAreAllTheTraffic_refusesNone_thoughTheyQueue() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointShare(0.5));
    timing.workers(4, "a test pool", waiting::get);
    queued(20);
    for (int i = 0; i < 8; i++) {
      assertThat(admitted(timing, stamped("/api/slow", 900))).isNotNull();
      timing.watchdog().scan(); // saturated, too
    }
    primeEndpoint(timing, "/api/hello"); // now another endpoint is active: over its share, it is refused
    assertThat(admitted(timing, get("/api/slow"))).isNull();
  }

  @Test
  void endpointShare_readsOthersWaitingFromTheProxysStamp_whereTheContainersQueueIsNotKnown() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointShare(0.5));
    timing.workers(4, "a pool without a queue to read");
    primeEndpoint(timing, "/api/slow");
    primeEndpoint(timing, "/api/hello");
    assertThat(admitted(timing, get("/api/slow"))).isNotNull();
    assertThat(admitted(timing, get("/api/slow"))).isNotNull();
    assertThat(admitted(timing, get("/api/slow"))).as("nobody waits").isNotNull();
    timing.watchdog().scan(); // finds /api/slow near its share
    admitted(timing, stamped("/api/hello", 300)); // it waited 300 ms for a worker
    assertThat(admitted(timing, get("/api/slow"))).as("others wait").isNull();
  }

  @Test
  void endpointShare_withoutAKnownWorkerLimit_doesNothing_andSaysSo() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointShare(0.5));
    timing.workers(0, "virtual threads: no pool", waiting::get);
    queued(10);
    for (int i = 0; i < 20; i++) {
      assertThat(admitted(timing, get("/api/slow"))).isNotNull();
    }
    assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
        .containsExactly("endpoint-share=50% does nothing: the workers' limit is not known (virtual threads: no pool);"
            + " endpoint-limits caps endpoints on any pool, and worker-limit names the limit");
  }

  @Test
  void shedLate_refusesWhatStartsWithLessLeftThanItsEndpointTypicallyTakes_onceThatIsKnown() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().shedLate(true));
    assertThat(admitted(timing, stamped("/api/slow", 1_000))).as("not known yet").isNotNull();
    for (int i = 0; i < 30; i++) { // what it takes: 1.5s from its start
      RequestBudget b = admitted(timing, get("/api/slow"));
      clock.add(Duration.ofMillis(1_500));
      timing.finish(b, 200, null);
    }
    timing.watchdog().scan(); // takes what endpoints typically take

    RequestBudget late = timing.start(stamped("/api/slow", 1_000)); // 1s left of 2s
    Refusal refusal = timing.refusal(late);
    assertThat(refusal).isNotNull();
    assertThat(refusal.reason()).isEqualTo("late");
    assertThat(refusal.retryAfterSeconds()).as("what it typically takes, 1.5s, rounded up").isEqualTo(2);
    timing.finish(late, Refusal.STATUS, null);
    assertThat(admitted(timing, stamped("/api/slow", 300))).as("1.7s left").isNotNull();
    assertThat(admitted(timing, get("/api/slow"))).as("unstamped: its whole budget").isNotNull();
    assertThat(admitted(timing, stamped("/api/other", 1_900))).as("not known").isNotNull();
    assertThat(shed("/api/slow", "late")).isEqualTo(1);
  }

  @Test
  void anEpisode_isOneWarnAndOneInfo_andTheReportSaysWhatWasRefused() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointShare(0.5));
    timing.workers(4, "a test pool", waiting::get);
    primeEndpoint(timing, "/api/slow");
    queued(5);
    RequestBudget other = admitted(timing, get("/api/hello")); // another endpoint, active throughout
    List<RequestBudget> held = new ArrayList<>();
    for (int second = 0; second < 5; second++) {
      timing.finish(admitted(timing, get("/api/other")), 200, null);
      for (int i = 0; i < 10; i++) {
        RequestBudget b = admitted(timing, get("/api/slow"));
        if (b != null) {
          held.add(b);
        }
      }
      timing.watchdog().scan();
      clock.add(Duration.ofMillis(1_000));
    }
    assertThat(held).hasSize(2);
    Report during = timing.reports().snapshot();
    assertThat(during.toString()).contains("\n    48 shed unrun (503): 48 share (their endpoint held its share of the workers"
        + " while others waited); refused now");
    assertThat(slowOf(during).shedByReason()).isEqualTo(Map.of("share", 48L));

    held.forEach(b -> timing.finish(b, 200, null));
    timing.finish(other, 200, null);
    queued(0);
    for (int scan = 0; scan < 4; scan++) {
      clock.add(Duration.ofMillis(1_000));
      timing.watchdog().scan();
    }
    assertThat(events("endpoint_refused")).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).isEqualTo("GET /api/slow refused (share): its endpoint holds its share of the"
          + " workers while others wait; it holds 2 of the 4 workers, at most 2 while others wait (endpoint-share);"
          + " others served in the last second: GET /api/hello, GET /api/other");
    });
    assertThat(events("endpoint_admitted")).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .isEqualTo("GET /api/slow admitted again: 48 refused (48 share) over 4.0s, none for the last 2.0s");
    assertThat(slowOf(timing.reports().snapshot()).refusedNow()).isFalse();
    assertThat(timing.reports().liveJson(10)).contains("\"shed\":48,\"shed_by_reason\":{\"share\":48},\"refused_now\":false");
  }

  @Test
  void aProbeThatThrows_readsAsNobodyWaiting() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().endpointShare(0.5));
    timing.workers(2, "a broken pool", () -> {
      throw new IllegalStateException("gone");
    });
    primeEndpoint(timing, "/api/slow");
    primeEndpoint(timing, "/api/hello");
    assertThat(admitted(timing, get("/api/slow"))).isNotNull();
    assertThat(admitted(timing, get("/api/slow"))).isNotNull();
  }

  private static EndpointReport slowOf(Report report) {
    return report.endpoints().stream().filter(e -> e.uri().equals("/api/slow")).findFirst().orElseThrow();
  }

  /** One request of the endpoint finished, so that its gate knows it. */
  private void primeEndpoint(RequestTiming<TestRequest> timing, String path) {
    timing.finish(admitted(timing, get(path)), 200, null);
  }
}
