package dev.requesttiming.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** RequestBudget as the application sees it, with a 5 s budget and an upstream deadline header. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BudgetApiScenarios {

  private static final String HEADER = "X-Request-Timeout-Ms";
  private TimedApp app;

  abstract ServletContainer newContainer();

  @BeforeAll
  void startApp() throws Exception {
    app =
        TimedApp.start(
            newContainer(),
            new SimpleMeterRegistry(),
            Map.of("budget", "5s", "deadline-header", HEADER, "report-interval", "0"));
  }

  @AfterAll
  void stopApp() throws Exception {
    app.close();
  }

  private long[] budgetSeen(String... headers) {
    HttpResponse<String> response = app.http.get("/api/budget?sleep=300", headers);
    assertThat(response.statusCode()).isEqualTo(200);
    String[] parts = response.body().split(" ");
    return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])};
  }

  @Test
  void remaining_isTheBudgetMinusTheElapsedTime() {
    long before = System.currentTimeMillis();
    long[] seen = budgetSeen();
    long after = System.currentTimeMillis();
    assertThat(seen[0]).isEqualTo(5000);
    assertThat(seen[1]).isBetween(3000L, 4700L); // 5 s minus the 300 ms sleep, with a generous margin
    assertThat(seen[2]).isBetween(before + 4000, after + 5100); // the request started between before and after
  }

  @Test
  void tighterHeader_tightensTheBudget() {
    long[] seen = budgetSeen(HEADER, "500");
    assertThat(seen[0]).isEqualTo(500);
    assertThat(seen[1]).isBetween(0L, 200L);
  }

  @Test
  void longerHeader_doesNotExtendTheBudget() {
    assertThat(budgetSeen(HEADER, "3600000")[0]).isEqualTo(5000);
  }

  @Test
  void garbageHeader_isIgnored_andTheRequestServed() {
    assertThat(budgetSeen(HEADER, "soon, please")[0]).isEqualTo(5000);
    assertThat(budgetSeen(HEADER, "-20")[0]).isEqualTo(5000);
  }

  @Test
  void asyncHandlerOnAnotherThread_seesTheSameDeadline() {
    HttpResponse<String> response = app.http.get("/api/budget-async");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String[] parts = response.body().split(" ");
    assertThat(parts[1]).as("budgetOf(async.getRequest()) found no budget").isNotEqualTo("none");
    assertThat(Long.parseLong(parts[1])).isCloseTo(Long.parseLong(parts[0]), org.assertj.core.data.Offset.offset(50L));
    assertThat(parts[2]).isEqualTo("true"); // budgetOf(request) finds the request's own budget
    assertThat(parts[3]).isEqualTo("true"); // a pool thread has no current budget of its own
  }
}
