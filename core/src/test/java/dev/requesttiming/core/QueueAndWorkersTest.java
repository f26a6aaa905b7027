package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.search.Search;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests behind a proxy, on a clock the test drives: queue time from the proxy's stamp and the budget clock it
 * starts, work nobody waits for (spent, shed, abandoned), and the workers' fill and saturation.
 */
class QueueAndWorkersTest {

  private final StampedTimings timings = new StampedTimings();
  private final MockClock clock = timings.clock;
  private final MeterRegistry registry = timings.registry;
  private final LogCapture log = timings.log;

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

  private double count(String name, String uri) {
    Search search = registry.find(name).tag("uri", uri);
    return search.counter() == null ? 0 : search.counter().count();
  }

  @Test
  void exceededBehindAProxyOfUnknownTimeout_saysWhatThatMeans_countingTheWait() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder());
    RequestBudget budget = timing.start(stamped("/api/slow", 500));
    clock.add(Duration.ofMillis(2_000));
    timing.finish(budget, 200, null);
    timing.watchdog().scan();

    assertThat(log.messages()).anyMatch(m -> m.startsWith("GET /api/slow finished in 2.5s")
        && m.endsWith("; a proxy sent it: if it waits less than 2.5s for an answer, it has given up and status 200 is not what the user saw"));
  }

  @Test
  void aRequestThatWaitedForAWorker_hasWhatIsLeftOfItsBudget_andItsFlagsSaySo() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder());
    RequestBudget budget = timing.start(stamped("/api/slow", 1_500));
    assertThat(budget.elapsed()).isEqualTo(Duration.ofMillis(1_500));
    assertThat(budget.remaining()).isEqualTo(Duration.ofMillis(500));

    clock.add(Duration.ofMillis(600)); // 2.1s since the proxy's stamp, 0.6s of the app's own
    timing.watchdog().scan();
    timing.finish(budget, 200, null);
    timing.watchdog().scan();

    assertThat(log.messages()).anyMatch(m ->
        m.startsWith("GET /api/slow still running after 2.1s (1.5s of it waiting for a worker): 105% of its 2s budget (exceeded)"));
    assertThat(registry.get("http.server.requests.queue").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_500);
    assertThat(registry.get("http.server.requests").tag("uri", "/api/slow").timer().totalTime(TimeUnit.MILLISECONDS))
        .as("the app's own time").isEqualTo(600);
    Report report = timing.reporter().report();
    assertThat(report.endpoints().get(0).p99()).as("from the proxy's stamp").isCloseTo(Duration.ofMillis(2_100), Duration.ofMillis(25));
    assertThat(report.endpoints().get(0).budgetPressure()).isGreaterThan(1.0);
    assertThat(report.queue()).isNotNull();
    assertThat(report.toString().lines().findFirst().orElseThrow()).contains("; queue p50 1.5s p99 1.5s max 1.5s");
  }

  @Test
  void aRequestWhoseBudgetWasSpentBeforeItStarted_isShedWith503_countedAndFlaggedExceeded() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().set("shed-spent", "true"));
    RequestBudget spent = timing.start(stamped("/api/slow", 2_500));
    assertThat(spent.isExpired()).isTrue();
    assertThat(timing.refusal(spent)).isNotNull().extracting(Refusal::reason).isEqualTo("spent");
    assertThat(timing.refusal(spent)).as("decided once").isNull();
    timing.finish(spent, 503, null);

    RequestBudget fresh = timing.start(stamped("/api/slow", 100));
    assertThat(timing.refusal(fresh)).isNull();
    timing.finish(fresh, 200, null);
    timing.watchdog().scan(); // logs the completion flags

    assertThat(count("http.server.requests.budget.shed", "/api/slow")).isEqualTo(1);
    assertThat(registry.get("http.server.requests.budget.flagged").tag("level", "exceeded").counter().count()).isEqualTo(1);
    assertThat(log.messages()).anyMatch(m -> m.startsWith(
        "GET /api/slow finished in 2.5s (2.5s of it waiting for a worker): 125% of its 2s budget (exceeded) status=503"));
    assertThat(timing.reporter().report().toString()).contains("\n    1 shed unrun (503): 1 spent (their budget was spent before they started)")
        .doesNotContain("abandoned");
  }

  @Test
  void withoutSheddingOn_aSpentRequestRuns_andTheWatchdogFlagsItAtItsFirstScan() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder());
    RequestBudget spent = timing.start(stamped("/api/slow", 3_000));
    assertThat(timing.refusal(spent)).isNull();
    timing.watchdog().scan();
    assertThat(log.events()).filteredOn(e -> e.getLoggerName().equals("dev.requesttiming.budget"))
        .extracting(ILoggingEvent::getFormattedMessage).singleElement().asString()
        .startsWith("GET /api/slow still running after 3.0s (3.0s of it waiting for a worker): 150% of its 2s budget (exceeded)");
    timing.finish(spent, 200, null);
  }

  @Test
  void unusableStamps_areCountedAndIgnored_andAClientThatWentAway_isCountedAsAbandoned() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder());
    RequestBudget garbage = timing.start(new TestRequest("GET", "/api/x").header(StampedTimings.STAMP, "yesterday"));
    RequestBudget ancient = timing.start(stamped("/api/x", 3_600_000));
    assertThat(garbage.elapsed()).isZero();
    assertThat(ancient.elapsed()).isZero();
    timing.clientGone(ancient);
    timing.finish(garbage, 200, null);
    timing.finish(ancient, 200, null);

    assertThat(registry.get("http.server.requests.queue.ignored").counter().count()).isEqualTo(2);
    assertThat(registry.get("http.server.requests.queue").timer().count()).isZero();
    assertThat(count("http.server.requests.abandoned", "/api/x")).isEqualTo(1);
    assertThat(timing.reports().snapshot().endpoints().get(0).abandoned()).isEqualTo(1);
  }

  @Test
  void aRequestThatReachedAWorkerAfterTheProxyGaveUp_isAbandoned() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().set("upstream-timeouts", "nginx=2s"));
    RequestBudget tooLate = timing.start(stamped("/api/x", 2_000));
    RequestBudget inTime = timing.start(stamped("/api/x", 1_900));
    clock.add(Duration.ofMillis(500)); // past the proxy's timeout too, but it started in time: exceeded, not known to be abandoned
    timing.finish(tooLate, 200, null);
    timing.finish(inTime, 200, null);
    assertThat(count("http.server.requests.abandoned", "/api/x")).isEqualTo(1);
    assertThat(timing.reporter().report().toString())
        .contains("\n    1 abandoned: their client or proxy had given up before the answer, whatever the status");
  }

  @Test
  void aPoolThatNeverFilled_saysSo() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder());
    timing.workers(4, "a test pool");
    timing.finish(timing.start(stamped("/api/x", 10)), 200, null);
    timing.watchdog().scan();
    assertThat(timing.reporter().report().toString().lines().findFirst().orElseThrow())
        .contains("; workers: peak 0/4 busy, never saturated; queue p50 10ms");
  }

  @Test
  void aFullPool_isOneSaturationWarning_thenOneRecovery_andTheReportSaysHowLong() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().set("saturated-at", "75%"));
    timing.workers(4, "a test pool");
    timing.finish(timing.start(stamped("/api/slow", 0)), 200, null); // known: in-flight requests count under it
    List<RequestBudget> running = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      running.add(timing.start(stamped("/api/slow", 300)));
    }
    for (int scan = 0; scan < 5; scan++) { // saturated for 2s
      timing.watchdog().scan();
      clock.add(Duration.ofMillis(500));
    }
    running.forEach(r -> timing.finish(r, 200, null));
    for (int scan = 0; scan < 4; scan++) { // recovered after a second below the threshold
      timing.watchdog().scan();
      clock.add(Duration.ofMillis(500));
    }

    List<ILoggingEvent> saturated = log.events().stream()
        .filter(e -> LogCapture.keyValues(e).contains("event=workers_saturated")).toList();
    assertThat(saturated).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage())
          .startsWith("workers saturated: 4/4 busy (a test pool, saturated from 3); held by GET /api/slow 4")
          .endsWith("requests in flight waited up to 300ms for a worker");
    });
    assertThat(log.events()).filteredOn(e -> LogCapture.keyValues(e).contains("event=workers_recovered"))
        .singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .isEqualTo("workers recovered: saturated for 2.5s, peak 4/4 busy");
    assertThat(registry.get("http.server.requests.workers.saturated").counter().count()).isEqualTo(1);
    assertThat(registry.get("http.server.requests.workers.limit").gauge().value()).isEqualTo(4);
    Report report = timing.reporter().report();
    assertThat(report.workers().saturated()).isEqualTo(Duration.ofMillis(2_000));
    assertThat(report.toString().lines().findFirst().orElseThrow()).contains("; workers: peak 4/4 busy, saturated 2.0s of ");
  }
}
