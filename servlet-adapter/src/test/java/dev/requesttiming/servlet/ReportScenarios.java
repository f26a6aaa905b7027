package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The slow-endpoint report logged by a filter in a real container. */
abstract class ReportScenarios {

  abstract ServletContainer newContainer();

  @Test
  void reportAfterTraffic_ranksTheSlowEndpointAboveTheFastBusyOne() throws Exception {
    try (LogCapture log = LogCapture.of("dev.requesttiming.report");
        TimedApp app =
            TimedApp.start(newContainer(), new SimpleMeterRegistry(), Map.of("budget", "2s", "report-interval", "5s"))) {
      for (int i = 0; i < 200; i++) {
        assertThat(app.http.get("/api/hello/busy").statusCode()).isEqualTo(200);
      }
      for (int i = 0; i < 2; i++) {
        assertThat(app.http.get("/api/sleep/slow?ms=500").statusCode()).isEqualTo(200);
      }

      // ~1.5 s of traffic in 5 s intervals: one report has both (a report per second could split them)
      await().atMost(15, SECONDS).until(() -> reportsWithBoth(log).size() > 0);
      String report = String.join("\n", log.messages());
      assertThat(report).contains("GET /api/sleep/slow", "GET /api/hello/busy");
      String both = reportsWithBoth(log).get(0);
      assertThat(both.indexOf("GET /api/sleep/slow")).isLessThan(both.indexOf("GET /api/hello/busy"));
    }
  }

  private static List<String> reportsWithBoth(LogCapture log) {
    return log.messages().stream()
        .filter(m -> m.contains("GET /api/sleep/slow") && m.contains("GET /api/hello/busy"))
        .toList();
  }
}
