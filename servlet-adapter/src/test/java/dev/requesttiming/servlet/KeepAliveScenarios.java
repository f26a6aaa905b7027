package dev.requesttiming.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The keep-alive check in a real container: a load balancer that keeps idle connections 60 s in
 * front of a server that closes them after 20 s gets a warning with the fix; a server that keeps
 * them longer gets one line saying so.
 */
abstract class KeepAliveScenarios {

  /** The container, closing idle connections after {@code idle}. */
  abstract ServletContainer newContainer(Duration idle);

  /** How the container's setting is named in the line. */
  abstract String source();

  @Test
  void aBalancerKeepingIdleConnectionsLongerThanTheServer_isWarnedOf_withTheFix() throws Exception {
    try (LogCapture log = LogCapture.of("dev.requesttiming.config");
        TimedApp app = TimedApp.start(newContainer(Duration.ofSeconds(20)), new SimpleMeterRegistry(),
            Map.of("upstream-idle-timeouts", "alb=60s"))) {
      assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
          .singleElement().asString()
          .startsWith("upstream 'alb' keeps idle connections 1m, longer than the app server's keep-alive of 20s (" + source() + ")")
          .contains("fail with 502", "above 1m", "below 20s");
    }
  }

  @Test
  void aServerKeepingThemLonger_isOneLine() throws Exception {
    try (LogCapture log = LogCapture.of("dev.requesttiming.config");
        TimedApp app = TimedApp.start(newContainer(Duration.ofSeconds(75)), new SimpleMeterRegistry(),
            Map.of("upstream-idle-timeouts", "alb=60s"))) {
      assertThat(log.events()).noneMatch(e -> e.getLevel() == Level.WARN);
      assertThat(log.messages()).anyMatch(m -> m.startsWith(
          "keep-alive: the app server keeps idle connections 75s (" + source() + "), longer than every layer in front: alb=1m"));
    }
  }
}
