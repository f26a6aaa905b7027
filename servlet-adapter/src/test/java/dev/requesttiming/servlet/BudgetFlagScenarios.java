package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Budget flags raised while requests are still in flight, over real HTTP with a 1 s budget. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BudgetFlagScenarios {

  private MeterRegistry registry;
  private TimedApp app;
  private LogCapture log;

  abstract ServletContainer newContainer();

  @BeforeAll
  void startApp() throws Exception {
    registry = new SimpleMeterRegistry();
    app =
        TimedApp.start(
            newContainer(),
            registry,
            Map.of("budget", "1s", "endpoint-budgets", "/api/sleep/patient=10s", "report-interval", "0"));
  }

  @AfterAll
  void stopApp() throws Exception {
    app.close();
  }

  @BeforeEach
  void captureLog() {
    log = LogCapture.of("dev.requesttiming.budget");
  }

  @AfterEach
  void releaseLog() {
    log.close();
  }

  private double flagged(String uri, String level) {
    Counter counter =
        registry.find("http.server.requests.budget.flagged").tag("uri", uri).tag("level", level).counter();
    return counter == null ? 0 : counter.count();
  }

  private List<ILoggingEvent> eventsFor(String uri) {
    return log.events().stream().filter(e -> e.getFormattedMessage().contains(" " + uri + " ")).toList();
  }

  @Test
  void slowRequest_flaggedWhileStillRunning_withWhereItIsStuck() {
    HttpResponse<String> response = app.http.get("/api/stuck?ms=1600");
    long responseArrived = System.currentTimeMillis();

    assertThat(response.body()).isEqualTo("finally");
    await().atMost(5, SECONDS).until(() -> flagged("/api/stuck", "exceeded") == 1);
    List<ILoggingEvent> events = eventsFor("/api/stuck");
    ILoggingEvent warn = events.get(0);
    ILoggingEvent critical = events.get(1);
    assertThat(warn.getFormattedMessage()).contains("GET /api/stuck still running after").contains("(warn)");
    assertThat(critical.getFormattedMessage()).contains("GET /api/stuck still running after").contains("(critical)")
        .containsPattern(" thread=\\S+ id=");
    assertThat(warn.getTimeStamp()).isLessThan(responseArrived);
    assertThat(critical.getTimeStamp()).isLessThan(responseArrived);
    assertThat(critical.getThrowableProxy().getStackTraceElementProxyArray())
        .extracting(StackTraceElementProxy::getSTEAsString)
        .anyMatch(frame -> frame.contains("waitForTheSlowBackend"));
    assertThat(Arrays.asList(flagged("/api/stuck", "warn"), flagged("/api/stuck", "critical"), flagged("/api/stuck", "exceeded")))
        .containsExactly(1.0, 1.0, 1.0);
    assertThat(events).hasSize(3);
  }

  @Test
  void fastRequests_flagNothing() {
    for (int i = 0; i < 200; i++) {
      assertThat(app.http.get("/api/hello/fast").statusCode()).isEqualTo(200);
    }
    await().atMost(5, SECONDS).until(() -> app.count("/api/hello/fast") == 200);
    FilterScenarios.sleepMillis(600);
    assertThat(eventsFor("/api/hello/fast")).isEmpty();
    assertThat(registry.find("http.server.requests.budget.flagged").tag("uri", "/api/hello/fast").counters())
        .hasSize(3) // registered at zero for each level
        .allSatisfy(c -> assertThat(c.count()).isZero());
  }

  @Test
  void concurrentSlowRequests_eachFlaggedExactlyOnce() {
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      responses.add(CompletableFuture.supplyAsync(() -> app.http.get("/api/sleep/fifty?ms=1200")));
    }
    responses.forEach(r -> assertThat(r.join().statusCode()).isEqualTo(200));

    await().atMost(10, SECONDS).until(() -> app.count("/api/sleep/fifty") == 50);
    await().atMost(5, SECONDS).until(() -> flagged("/api/sleep/fifty", "exceeded") == 50);
    assertThat(flagged("/api/sleep/fifty", "warn")).isEqualTo(50);
    assertThat(flagged("/api/sleep/fifty", "critical")).isEqualTo(50);
  }

  @Test
  void endpointWithALargerBudget_isNotFlagged() {
    assertThat(app.http.get("/api/sleep/patient?ms=1500").statusCode()).isEqualTo(200);

    await().atMost(5, SECONDS).until(() -> app.count("/api/sleep/patient") == 1);
    FilterScenarios.sleepMillis(300);
    assertThat(eventsFor("/api/sleep/patient")).isEmpty();
    assertThat(registry.get("http.server.requests.budget").tag("uri", "/api/sleep/patient").gauge().value())
        .isEqualTo(10.0);
  }
}
