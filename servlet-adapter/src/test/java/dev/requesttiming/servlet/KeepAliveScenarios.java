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
 * What the filter reads of a real container: the keep-alive (a load balancer that keeps idle
 * connections 60 s in front of a server that closes them after 20 s gets a warning with the fix; a
 * server that keeps them longer gets one line saying so), and the worker pool.
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
  void theWorkerPool_isReadFromTheContainer_atTheFirstRequest() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (TimedApp app = TimedApp.start(newContainer(Duration.ofSeconds(30)), registry, Map.of())) {
      assertThat(app.http.get("/api/hello").statusCode()).isEqualTo(200);
      double limit = registry.get("http.server.requests.workers.limit").gauge().value();
      if (ServletContainer.virtualThreads()) {
        assertThat(limit).as("no pool under virtual threads").isNaN();
      } else {
        assertThat(limit).as("200 threads, less Jetty's acceptor and selector").isBetween(190.0, 200.0);
      }
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
