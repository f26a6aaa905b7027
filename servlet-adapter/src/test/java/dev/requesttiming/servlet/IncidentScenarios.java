package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * An incident in a real container, scaled down from the demo's (40 clients × 4.5 s on a 5 s budget
 * for 40 s): 20 clients call an endpoint that waits 0.9 s on a 1 s budget, for 5 s. Every request is
 * flagged warn and critical; the log stays readable and the report says where requests were stuck.
 */
abstract class IncidentScenarios {

  private static final int CLIENTS = 20;
  private static final long STORM_MILLIS = 5_000;

  abstract ServletContainer newContainer();

  @Test
  void storm_fewLinesAndStacks_everyFlagCounted_summaryAndReportNameTheStuckFrame() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (LogCapture budget = LogCapture.of("dev.requesttiming.budget");
        LogCapture report = LogCapture.of("dev.requesttiming.report");
        TimedApp app =
            TimedApp.start(
                newContainer(),
                registry,
                Map.of("budget", "1s", "report-interval", "2s", "app-packages", TestApp.class.getName()))) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      long end = System.currentTimeMillis() + STORM_MILLIS;
      List<CompletableFuture<Integer>> sent = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        sent.add(CompletableFuture.supplyAsync(() -> {
          int n = 0;
          while (System.currentTimeMillis() < end) {
            assertThat(app.http.get("/api/stuck?ms=900").statusCode()).isEqualTo(200);
            n++;
          }
          return n;
        }, clients));
      }
      int requests = sent.stream().mapToInt(CompletableFuture::join).sum();
      clients.shutdown();

      await().atMost(5, SECONDS).until(() -> app.count("/api/stuck") == requests);
      assertThat(flagged(registry, "warn")).isEqualTo(requests);
      assertThat(flagged(registry, "critical")).isEqualTo(requests);
      long flags = (long) (flagged(registry, "warn") + flagged(registry, "critical") + flagged(registry, "exceeded"));
      // the next report ends the storm's last interval: its summary comes with it
      await().atMost(10, SECONDS).until(() -> logged(budget) + summarized(budget) == flags);

      List<ILoggingEvent> lines = lines(budget);
      long stacks = lines.stream().filter(e -> e.getThrowableProxy() != null).count();
      assertThat(requests).as("a storm: every client sent several requests").isGreaterThan(3 * CLIENTS);
      assertThat(lines).as("WARN lines for " + requests + " requests").hasSizeLessThanOrEqualTo(60);
      assertThat(stacks).isBetween(1L, 10L);
      // the first frame of the app's code (app-packages names TestApp) and what it waits for
      String stuckAt = "stuck at TestApp\\.sleep\\(TestApp\\.java:\\d+\\) sleeping";
      assertThat(summaries(budget)).extracting(ILoggingEvent::getFormattedMessage)
          .allMatch(m -> m.matches("GET /api/stuck: \\d+ more budget flags in the last \\S+ \\(warn \\d+, critical \\d+, exceeded \\d+\\), not logged one by one.*"))
          .anyMatch(m -> m.matches(".*; " + stuckAt + " in \\d+% of samples"));
      assertThat(report.messages())
          .anyMatch(m -> m.matches("(?s).*GET /api/stuck .*\\n    " + stuckAt + ": \\d+ samples? \\(\\d+%\\).*"))
          .anyMatch(m -> m.matches("(?s).*peak (1\\d|20) in flight at once.*"));
    }
  }

  private static double flagged(MeterRegistry registry, String level) {
    return registry.get("http.server.requests.budget.flagged").tag("uri", "/api/stuck").tag("level", level).counter().count();
  }

  private static List<ILoggingEvent> lines(LogCapture budget) {
    return budget.events().stream().filter(e -> e.getFormattedMessage().startsWith("GET /api/stuck")).toList();
  }

  /** Flags logged one by one. */
  private static long logged(LogCapture budget) {
    return lines(budget).size() - summaries(budget).size();
  }

  /** Flags counted in summary lines. */
  private static long summarized(LogCapture budget) {
    return summaries(budget).stream().mapToLong(IncidentScenarios::suppressed).sum();
  }

  private static List<ILoggingEvent> summaries(LogCapture budget) {
    return budget.events().stream().filter(e -> LogCapture.keyValues(e).contains("event=budget_flag_summary")).toList();
  }

  private static long suppressed(ILoggingEvent summary) {
    return LogCapture.keyValues(summary).stream()
        .filter(kv -> kv.startsWith("warn=") || kv.startsWith("critical=") || kv.startsWith("exceeded="))
        .mapToLong(kv -> Long.parseLong(kv.substring(kv.indexOf('=') + 1)))
        .sum();
  }
}
