package dev.requesttiming.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** Key-value pairs reach the log with SLF4J 2's fluent API, and on the MDC where SLF4J 1.7 has none. */
class LogEventTest {

  @Test
  void withTheFluentApi_thePairsAreTheEventsOwn() {
    try (LogCapture log = LogCapture.of("dev.requesttiming.test")) {
      LogEvent.warn(LoggerFactory.getLogger("dev.requesttiming.test")).addKeyValue("event", "budget_flag").addKeyValue("elapsed_ms", 1043)
          .log("GET /api/slow still running");
      ILoggingEvent event = log.events().get(0);
      assertThat(LogCapture.keyValues(event)).containsExactly("event=budget_flag", "elapsed_ms=1043");
      assertThat(event.getMDCPropertyMap()).isEmpty();
    }
  }

  @Test
  void withoutIt_thePairsAreOnTheMdcForTheCall_andThenGone() {
    MDC.put("traceId", "abc");
    try (LogCapture log = LogCapture.of("dev.requesttiming.test")) {
      LogEvent.info(LoggerFactory.getLogger("dev.requesttiming.test")).addKeyValue("event", "slow_endpoint_report")
          .addKeyValue("traceId", "def").setCause(new IllegalStateException("x")).log("report", false);
      ILoggingEvent event = log.events().get(0);
      assertThat(event.getMDCPropertyMap()).containsEntry("event", "slow_endpoint_report").containsEntry("traceId", "def");
      assertThat(event.getThrowableProxy().getMessage()).isEqualTo("x");
      assertThat(MDC.get("event")).isNull();
      assertThat(MDC.get("traceId")).as("what was there before is back").isEqualTo("abc");
    } finally {
      MDC.clear();
    }
  }
}
