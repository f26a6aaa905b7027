package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestBudgetTest {

  private final MockClock clock = new MockClock();
  private final RequestTiming<TestRequest> timing =
      RequestTiming.create(
          new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock),
          RequestTimingConfig.builder()
              .budget(Duration.ofSeconds(10))
              .endpointBudget("POST /api/chat", Duration.ofSeconds(60))
              .deadlineHeader("X-Request-Timeout-Ms")
              .watchdogInterval(Duration.ofMinutes(1))
              .reportInterval(Duration.ZERO)
              .build(),
          TestRequest.ADAPTER);
  private final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void close() {
    timing.close();
    pool.shutdownNow();
  }

  @Test
  void outsideARequest_theBudgetIsUnlimited() {
    RequestBudget budget = RequestBudget.current();
    assertThat(budget.isUnlimited()).isTrue();
    assertThat(budget.isExpired()).isFalse();
    assertThat(budget.elapsed()).isZero();
    assertThat(budget.remainingOr(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(budget.deadline()).isEqualTo(Instant.MAX);
    assertThat(budget.remaining()).isGreaterThan(Duration.ofDays(365_000));
  }

  @Test
  void duringARequest_elapsedAndRemainingFollowTheClock() {
    RequestBudget r = timing.start(new TestRequest("GET", "/api/search"));
    RequestBudget budget = RequestBudget.current();
    assertThat(budget).isSameAs(r);
    clock.add(Duration.ofSeconds(3));

    assertThat(budget.budget()).isEqualTo(Duration.ofSeconds(10));
    assertThat(budget.elapsed()).isEqualTo(Duration.ofSeconds(3));
    assertThat(budget.remaining()).isEqualTo(Duration.ofSeconds(7));
    assertThat(budget.remainingOr(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
    assertThat(budget.remainingOr(Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(7));
    assertThat(budget.deadline()).isEqualTo(Instant.ofEpochMilli(clock.wallTime()).plusSeconds(7));
    assertThat(budget.isExpired()).isFalse();

    clock.add(Duration.ofSeconds(8));
    assertThat(budget.remaining()).isZero();
    assertThat(budget.isExpired()).isTrue();

    timing.finish(r, 200, null);
    assertThat(RequestBudget.current().isUnlimited()).isTrue();
  }

  @Test
  void endpointBudget_isTheRequestsBudget() {
    RequestBudget r = timing.start(new TestRequest("POST", "/api/chat"));
    assertThat(RequestBudget.current().budget()).isEqualTo(Duration.ofSeconds(60));
    timing.finish(r, 200, null);
  }

  @Test
  void deadlineHeader_tightensButNeverExtends() {
    RequestBudget tight = timing.start(new TestRequest("GET", "/a").header("X-Request-Timeout-Ms", "500"));
    assertThat(RequestBudget.current().budget()).isEqualTo(Duration.ofMillis(500));
    timing.finish(tight, 200, null);

    RequestBudget loose = timing.start(new TestRequest("GET", "/a").header("X-Request-Timeout-Ms", "3600000"));
    assertThat(RequestBudget.current().budget()).isEqualTo(Duration.ofSeconds(10));
    timing.finish(loose, 200, null);

    RequestBudget garbage = timing.start(new TestRequest("GET", "/a").header("X-Request-Timeout-Ms", "soon\r\n"));
    assertThat(RequestBudget.current().budget()).isEqualTo(Duration.ofSeconds(10));
    timing.finish(garbage, 200, null);
  }

  @Test
  void asyncContinuation_leavesTheThread_andTheBudgetStaysOnTheRequest() {
    RequestBudget r = timing.start(new TestRequest("GET", "/a"));
    timing.continueAsync(r);
    assertThat(RequestBudget.current().isUnlimited()).isTrue();
    assertThat(r.budget()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void wrappedTasks_carryTheBudgetToOtherThreads() throws Exception {
    RequestBudget r = timing.start(new TestRequest("GET", "/a"));
    AtomicReference<RequestBudget> seen = new AtomicReference<>();
    pool.submit(RequestBudget.wrap(() -> seen.set(RequestBudget.current()))).get();
    assertThat(seen.get()).isSameAs(r);

    RequestBudget viaCallable = pool.submit(RequestBudget.wrap(RequestBudget::current)).get();
    assertThat(viaCallable).isSameAs(r);

    RequestBudget viaExecutor =
        CompletableFuture.supplyAsync(RequestBudget::current, RequestBudget.wrap(pool)).get();
    assertThat(viaExecutor).isSameAs(r);

    RequestBudget afterwards = pool.submit(RequestBudget::current).get();
    assertThat(afterwards.isUnlimited()).isTrue();
    timing.finish(r, 200, null);
  }

  @Test
  void deadlineHeaderCap_flagsAgainstTheTighterBudget() {
    try (LogCapture log = LogCapture.of("dev.requesttiming.budget")) {
      timing.start(new TestRequest("GET", "/api/tight").header("X-Request-Timeout-Ms", "2000"));
      clock.add(Duration.ofMillis(1_600));
      timing.watchdog().scan();
      assertThat(log.messages()).anyMatch(m -> m.contains("80% of its 2s budget (critical)"));
    }
  }
}
