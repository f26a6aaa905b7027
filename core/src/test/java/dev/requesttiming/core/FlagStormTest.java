package dev.requesttiming.core;

import dev.requesttiming.core.internal.report.Reporter;
import dev.requesttiming.core.internal.watchdog.SlowRequestSampler;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.example.shop.SlowBackend;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An incident: every request of an endpoint runs long at once. The log stays readable (a few lines
 * per level and interval, one stack, a summary), while counters, reports and the in-flight picture
 * count everything. Requests run on real threads parked in a known method; time is a mock clock.
 */
class FlagStormTest {

  private static final int REQUESTS = 40;

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final LogCapture budgetLog = LogCapture.of("dev.requesttiming.budget");
  private final LogCapture reportLog = LogCapture.of("dev.requesttiming.report");
  private final CountDownLatch backendAnswers = new CountDownLatch(1);
  private final List<Thread> workers = new ArrayList<>();
  private RequestTiming<TestRequest> timing;

  @AfterEach
  void tearDown() throws InterruptedException {
    backendAnswers.countDown();
    for (Thread t : workers) {
      t.join(5_000);
    }
    timing.close();
    budgetLog.close();
    reportLog.close();
  }

  private RequestTiming<TestRequest> timing(RequestTimingConfig.Builder config) {
    timing = RequestTiming.create(registry, config.watchdogInterval(Duration.ofMinutes(1)).build(), TestRequest.ADAPTER);
    return timing;
  }

  /** Starts the requests on worker threads that then wait for the backend, as a stuck HTTP call would. */
  private List<RequestBudget> startStuckRequests(String path, int n) throws InterruptedException {
    List<RequestBudget> started = java.util.Collections.synchronizedList(new ArrayList<>());
    CountDownLatch allStarted = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      Thread worker = new Thread(() -> {
        started.add(timing.start(new TestRequest("GET", path)));
        allStarted.countDown();
        waitForTheSlowBackend();
      }, "worker-" + i);
      workers.add(worker);
      worker.start();
    }
    assertThat(allStarted.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50); // let them reach the wait
    return started;
  }

  private void waitForTheSlowBackend() {
    SlowBackend.waitForAnswer(backendAnswers);
  }

  private void advanceAndScan(long millis) {
    clock.add(Duration.ofMillis(millis));
    timing.watchdog().scan();
  }

  private double flagged(String uri, String level) {
    return registry.get("http.server.requests.budget.flagged").tag("uri", uri).tag("level", level).counter().count();
  }

  private static long stacks(List<ILoggingEvent> events) {
    return events.stream().filter(e -> e.getThrowableProxy() != null).count();
  }

  @Test
  void storm_logsAFewLinesAndOneStack_countsEveryFlag_andSummarizesWithTheStuckSite() throws Exception {
    timing(RequestTimingConfig.builder().budget(Duration.ofSeconds(10)).reportInterval(Duration.ofSeconds(10)));
    startStuckRequests("/api/storm", REQUESTS);

    advanceAndScan(5_000); // warn for all 40
    advanceAndScan(3_000); // critical for all 40, and a stack sample of each (at most 32 a scan)

    assertThat(flagged("/api/storm", "warn")).isEqualTo(REQUESTS);
    assertThat(flagged("/api/storm", "critical")).isEqualTo(REQUESTS);
    List<ILoggingEvent> lines = budgetLog.events();
    assertThat(lines).hasSize(10); // flag-log-limit 5, per level
    assertThat(stacks(lines)).isEqualTo(1);

    Report report = timing.reporter().report();

    EndpointReport storm = report.endpoints().get(0);
    assertThat(storm.uri()).isEqualTo("/api/storm");
    assertThat(storm.warnFlags()).isEqualTo(REQUESTS);
    assertThat(storm.peakInFlight()).isEqualTo(REQUESTS);
    assertThat(report.peakInFlight()).isEqualTo(REQUESTS);
    assertThat(storm.stuckAt()).singleElement().satisfies(site -> {
      assertThat(site.site()).startsWith("SlowBackend.waitForAnswer(SlowBackend.java:").contains(" waiting in ");
      assertThat(site.samples()).isEqualTo(SlowRequestSampler.MAX_PER_SCAN);
      assertThat(site.share()).isEqualTo(1.0);
    });
    assertThat(report.stillRunningCount()).isEqualTo(REQUESTS);
    assertThat(report.stillRunning()).hasSize(Reporter.TOP_RUNNING)
        .allSatisfy(r -> assertThat(r.age()).isEqualTo(Duration.ofSeconds(8)));
    assertThat(reportLog.messages()).singleElement().asString()
        .contains("peak 40 in flight at once")
        .contains("stuck at SlowBackend.waitForAnswer(")
        .contains("still running past their warn level: 40")
        .containsPattern("GET /api/storm for 8\\.0s \\(80% of its 10s budget\\) id=\\p{XDigit}{4} thread=worker-\\d+");

    ILoggingEvent summary = budgetLog.events().get(10);
    assertThat(summary.getFormattedMessage())
        .startsWith("GET /api/storm: 70 more budget flags in the last 8s (warn 35, critical 35, exceeded 0), not logged one by one;"
            + " stuck at SlowBackend.waitForAnswer(SlowBackend.java:")
        .endsWith(" in 100% of samples");
    assertThat(LogCapture.keyValues(summary))
        .contains("event=budget_flag_summary", "method=GET", "uri=/api/storm", "warn=35", "critical=35", "exceeded=0",
            "interval_ms=8000", "stuck_share=1.0")
        .anyMatch(kv -> kv.startsWith("stuck_at=SlowBackend.waitForAnswer("));

    // the next interval has a fresh line budget: its first exceeded flags are logged, one stack again
    advanceAndScan(2_000);
    assertThat(flagged("/api/storm", "exceeded")).isEqualTo(REQUESTS);
    List<ILoggingEvent> next = budgetLog.events().subList(11, budgetLog.events().size());
    assertThat(next).hasSize(5).allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("(exceeded)"));
    assertThat(stacks(next)).isEqualTo(1);
  }

  @Test
  void reportsOff_summariesStillCome() throws Exception {
    timing(RequestTimingConfig.builder().budget(Duration.ofSeconds(10)).reportInterval(Duration.ZERO).flagLogLimit(0));
    startStuckRequests("/api/quiet", 3);
    advanceAndScan(5_000);
    assertThat(budgetLog.events()).isEmpty();

    timing.reporter().run();

    assertThat(reportLog.events()).isEmpty();
    assertThat(budgetLog.messages()).singleElement().asString()
        .startsWith("GET /api/quiet: 3 more budget flags in the last 5s (warn 3, critical 0, exceeded 0), not logged one by one");
    assertThat(timing.engine().settings().intervalOfReports()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void samples_areBoundedPerScan_andTakenAboutOnceASecond() throws Exception {
    timing(RequestTimingConfig.builder().budget(Duration.ofSeconds(10)).reportInterval(Duration.ofMinutes(1)));
    startStuckRequests("/api/many", REQUESTS);
    advanceAndScan(8_000); // a sampling scan: 32 of the 40
    advanceAndScan(500); // too soon for the next samples
    advanceAndScan(500); // a second later: 32 more

    assertThat(timing.reporter().report().endpoints().get(0).stuckAt().get(0).samples())
        .isEqualTo(2L * SlowRequestSampler.MAX_PER_SCAN);
  }
}
