package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.example.shop.SlowBackend;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A downstream call bounded by the request's budget, on a mock clock: timeouts, the header, flags. */
class DownstreamCallTest {

  private static final URI RAG = URI.create("http://rag.internal:8080/v1/query?user=secret");

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final LogCapture budgetLog = LogCapture.of("dev.requesttiming.budget");
  private RequestTiming<TestRequest> timing;
  private RequestBudget request;

  @AfterEach
  void tearDown() {
    if (request != null) {
      timing.finish(request, 200, null);
    }
    if (timing != null) {
      timing.close();
    }
    budgetLog.close();
  }

  private void startRequest(RequestTimingConfig.Builder config) {
    timing = RequestTiming.create(registry, config.budget(Duration.ofSeconds(2)).watchdogInterval(Duration.ofMinutes(1)).build(), TestRequest.ADAPTER);
    request = timing.start(new TestRequest("POST", "/api/chat"));
  }

  @Test
  void outsideARequest_aCallIsUnbounded() throws Exception {
    try (DownstreamCall call = DownstreamCall.start("POST", RAG)) {
      assertThat(call.isBounded()).isFalse();
      assertThat(call.timeout(Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));
      assertThat(call.timeout(null)).isNull();
      assertThat(call.deadlineHeader()).isNull();
      assertThat(call.isOverdue()).isFalse();
    }
    assertThat(DownstreamBudget.timeout(Duration.ofSeconds(90))).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void theTimeoutIsTheRemainingBudgetMinusTheReserve_whenShorterThanTheCallsOwn() throws Exception {
    startRequest(RequestTimingConfig.builder().deadlineHeader("X-Request-Timeout-Ms"));
    clock.add(Duration.ofMillis(500));

    try (DownstreamCall call = DownstreamCall.start("POST", RAG)) {
      assertThat(call.isBounded()).isTrue();
      assertThat(call.timeout(Duration.ofSeconds(90))).isEqualTo(Duration.ofMillis(1250));
      assertThat(call.timeout(null)).isEqualTo(Duration.ofMillis(1250));
      assertThat(call.timeout(Duration.ZERO)).as("zero: no timeout of its own").isEqualTo(Duration.ofMillis(1250));
      assertThat(call.timeout(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
      assertThat(call.deadlineHeader()).isEqualTo("X-Request-Timeout-Ms");
      assertThat(call.deadlineHeaderValue()).isEqualTo("1250");
      clock.add(Duration.ofMillis(1000));
      assertThat(call.timeout(Duration.ofSeconds(90))).isEqualTo(Duration.ofMillis(250));
      assertThat(call.isOverdue()).isFalse();
      clock.add(Duration.ofMillis(250));
      assertThat(call.isOverdue()).isTrue();
      assertThat(call.timeout(null)).as("at least a millisecond").isEqualTo(Duration.ofMillis(1));
      assertThat(call.cutOff(new java.net.http.HttpTimeoutException("request timed out")))
          .hasMessage("POST /api/chat gave up on POST rag.internal:8080/v1/query after 1.3s: 1.8s of its 2s budget gone,"
              + " 250ms kept to answer")
          .hasCauseInstanceOf(java.net.http.HttpTimeoutException.class);
    }
  }

  @Test
  void grpcTimeoutGetsGrpcsForm_andTheReserveIsConfigurable() throws Exception {
    startRequest(RequestTimingConfig.builder().deadlineHeader("grpc-timeout").downstreamReserve(Duration.ofMillis(500)));

    try (DownstreamCall call = DownstreamCall.start("GET", RAG)) {
      assertThat(call.deadlineHeaderValue()).isEqualTo("1500m");
    }
    assertThat(DownstreamBudget.seconds(Duration.ofSeconds(20))).as("JDBC: whole seconds, rounded up").isEqualTo(2);
    assertThat(DownstreamBudget.seconds(Duration.ofMillis(10))).as("at least 1").isEqualTo(1);
  }

  @Test
  void withLessThanTheReserveLeft_theCallIsRefused_sayingWhy() {
    startRequest(RequestTimingConfig.builder());
    clock.add(Duration.ofMillis(1800));

    assertThatThrownBy(() -> DownstreamCall.start("POST", RAG))
        .isInstanceOfSatisfying(BudgetExhaustedException.class, e -> {
          assertThat(e.endpoint()).isEqualTo("POST /api/chat");
          assertThat(e.downstream()).isEqualTo("POST rag.internal:8080/v1/query");
          assertThat(e.budget()).isEqualTo(Duration.ofSeconds(2));
          assertThat(e.elapsed()).isEqualTo(Duration.ofMillis(1800));
        })
        .hasMessage("POST /api/chat has no budget left for POST rag.internal:8080/v1/query: 1.8s of its 2s budget gone,"
            + " 250ms kept to answer; the call was not made");
    assertThatThrownBy(() -> DownstreamBudget.timeout(Duration.ofSeconds(20))).isInstanceOf(BudgetExhaustedException.class);
    assertThat(timing.engine().downstreamCalls().size()).isZero();
  }

  @Test
  void theBudgetExceptionIsFoundWhereClientsWrapIt() {
    startRequest(RequestTimingConfig.builder());
    clock.add(Duration.ofMillis(1800));
    BudgetExhaustedException refused =
        (BudgetExhaustedException) org.assertj.core.api.Assertions.catchThrowable(() -> DownstreamCall.start("POST", RAG));

    assertThat(BudgetExhaustedException.in(new RuntimeException("I/O error", new java.io.IOException(refused)))).isSameAs(refused);
    assertThat(BudgetExhaustedException.in(refused)).isSameAs(refused);
    assertThat(BudgetExhaustedException.in(new RuntimeException(new java.io.IOException("reset")))).isNull();
    assertThat(BudgetExhaustedException.in(null)).isNull();
  }

  @Test
  void aRequestInACall_isFlaggedAndSampledAsWaitingOnIt_neverWithItsQuery() throws Exception {
    timing =
        RequestTiming.create(
            registry,
            RequestTimingConfig.builder().budget(Duration.ofSeconds(2)).watchdogInterval(Duration.ofMinutes(1)).build(),
            TestRequest.ADAPTER);
    CountDownLatch inCall = new CountDownLatch(1);
    CountDownLatch answer = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      RequestBudget r = timing.start(new TestRequest("POST", "/api/chat"));
      try (DownstreamCall call = DownstreamCall.start("POST", RAG)) {
        inCall.countDown();
        SlowBackend.waitForAnswer(answer);
      } catch (BudgetExhaustedException e) {
        throw new AssertionError(e);
      } finally {
        timing.finish(r, 200, null);
      }
    }, "worker-rag");
    worker.start();
    assertThat(inCall.await(5, TimeUnit.SECONDS)).isTrue();
    Thread.sleep(50);

    clock.add(Duration.ofMillis(1700)); // critical at 1.6s: the stack is sampled
    timing.watchdog().scan();
    answer.countDown();
    worker.join(5_000);

    ILoggingEvent critical =
        budgetLog.events().stream().filter(e -> e.getFormattedMessage().contains("(critical)")).findFirst().orElseThrow();
    assertThat(critical.getFormattedMessage())
        .startsWith("POST /api/chat still running after 1.7s: 85% of its 2s budget (critical) waiting on POST"
            + " rag.internal:8080/v1/query for 1.7s thread=worker-rag")
        .doesNotContain("secret");
    assertThat(LogCapture.keyValues(critical)).contains("downstream=POST rag.internal:8080/v1/query");
    assertThat(timing.reporter().report().endpoints().get(0).stuckAt().get(0).site())
        .startsWith("SlowBackend.waitForAnswer(SlowBackend.java:")
        .endsWith(" waiting on POST rag.internal:8080/v1/query");
    assertThat(timing.engine().downstreamCalls().size()).as("the call ended").isZero();
  }
}
