package dev.requesttiming.core.internal.config;

import dev.requesttiming.core.LogCapture;
import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.TestSettings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutAuditTest {

  @Test
  void clientWaitingLongerThanTheWorker_isWarnedAbout() {
    RequestTimingConfig config =
        RequestTimingConfig.builder()
            .set("upstream-timeouts", "nginx=60s")
            .set("downstream-timeouts", "rag=90s, db=5s")
            .build();
    assertThat(new TimeoutAudit(TestSettings.of(config)).violations())
        .containsExactly(
            "downstream 'rag' timeout 90s is longer than the 30s worker budget: the worker will be killed"
                + " before the call gives up; lower the client timeout below 30s or let the call inherit the budget (DownstreamBudget)");
  }

  @Test
  void proxyGivingUpBeforeTheLargestBudget_isWarnedAbout() {
    RequestTimingConfig config =
        RequestTimingConfig.builder()
            .endpointBudget("POST /api/chat", Duration.ofSeconds(120))
            .set("upstream-timeouts", "nginx=60s, alb=120s")
            .build();
    assertThat(new TimeoutAudit(TestSettings.of(config)).violations())
        .containsExactly(
            "upstream 'alb' timeout 2m is no longer than the 2m worker budget: it gives up on requests the app"
                + " is still serving (the client gets a 504 while the worker goes on); raise it above 2m or lower the budget",
            "upstream 'nginx' timeout 1m is shorter than the 2m worker budget: it gives up on requests the app"
                + " is still serving (the client gets a 504 while the worker goes on); raise it above 2m or lower the budget");
  }

  @Test
  void rightOrder_givesNoWarning_andATableOutermostFirst() {
    RequestTimingConfig config =
        RequestTimingConfig.builder()
            .set("upstream-timeouts", "nginx=60s, alb=65s")
            .set("downstream-timeouts", "rag=25s, db=5s")
            .build();
    TimeoutAudit audit = new TimeoutAudit(TestSettings.of(config));
    assertThat(audit.violations()).isEmpty();
    assertThat(audit.table().lines().skip(1).map(String::trim).map(l -> l.split("\\s+")[1]))
        .containsExactly("alb", "nginx", "budget", "rag", "db");
  }

  @Test
  void startup_logsTheTableAndOneWarnPerViolation() {
    try (LogCapture log = LogCapture.of("dev.requesttiming.config")) {
      StartupLog.log(TestSettings.of(RequestTimingConfig.builder().set("downstream-timeouts", "rag=90s").build()));
      assertThat(log.events()).hasSize(3);
      assertThat(log.events().get(2).getLevel().toString()).isEqualTo("WARN");
      assertThat(log.messages().get(0)).startsWith("request-timing started: budget=30s warn-at=50.0%");
      assertThat(log.messages().get(1)).contains("downstream  rag").contains("worker      budget");
    }
  }
}
