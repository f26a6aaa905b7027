package dev.requesttiming.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The keep-alive check in Spring Boot's embedded Tomcat: a 60 s load balancer in front of a 20 s
 * keep-alive ({@code server.tomcat.keep-alive-timeout}) is warned of at start, with the property to set.
 */
class KeepAliveAuditIT {

  @AfterEach
  void restoreLogging() {
    System.clearProperty("org.springframework.boot.logging.LoggingSystem");
  }

  @Test
  void aBalancerKeepingIdleConnectionsLongerThanBootsTomcat_isWarnedOfAtStart() {
    // Boot leaves logging to logback-test.xml, so that the start-up lines are captured
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    try (LogCapture log = LogCapture.of("dev.requesttiming.config");
        ConfigurableApplicationContext app = new SpringApplicationBuilder(BootDemoApplication.class).run(
            "--server.port=0", "--server.tomcat.keep-alive-timeout=20s", "--request-timing.upstream-idle-timeouts.alb=60s")) {
      assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.startsWith("upstream 'alb' keeps idle connections 1m, longer than the app server's keep-alive of 20s"
              + " (Tomcat's connector keepAliveTimeout)") && m.contains("server.tomcat.keep-alive-timeout"));
    }
  }
}
