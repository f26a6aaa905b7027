package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestTimingConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds another filter that records {@code http.server.requests} in the same web app (Spring's
 * {@code ServerHttpObservationFilter}, which Spring Boot Actuator registers), so that requests are
 * never counted twice: {@code requests-timer=auto} leaves the timer to it, {@code on} warns.
 */
final class RequestsTimerClash {

  static final String SPRING_OBSERVATION_FILTER = "org.springframework.web.filter.ServerHttpObservationFilter";
  private static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.config");

  private RequestsTimerClash() {}

  /** The configuration with {@code requests-timer=auto} decided for this web app. */
  static RequestTimingConfig resolve(RequestTimingConfig config, ServletContext context) {
    String mode = config.requestsTimer();
    if (mode.equals("off")) {
      return config;
    }
    boolean clash = springObservationFilterIn(context);
    if (mode.equals("auto")) {
      if (clash) {
        LOG.info(
            "Spring's ServerHttpObservationFilter records http.server.requests in this app already:"
                + " request-timing leaves that timer to it (requests-timer=auto) and records its flags,"
                + " budgets, in-flight requests and reports");
      }
      return config.toBuilder().requestsTimer(clash ? "off" : "on").build();
    }
    if (clash) {
      LOG.warn(
          "Spring's ServerHttpObservationFilter also records http.server.requests in this app: every"
              + " request would be counted twice, or a Prometheus registry rejects one of the two for"
              + " its different tags. Set request-timing's requests-timer=off (or auto) to leave that"
              + " timer to Spring, or turn Spring's off with"
              + " management.observations.enable.http.server.requests=false");
    }
    return config;
  }

  private static boolean springObservationFilterIn(ServletContext context) {
    try {
      for (FilterRegistration registration : context.getFilterRegistrations().values()) {
        if (SPRING_OBSERVATION_FILTER.equals(registration.getClassName())) {
          return true;
        }
      }
    } catch (RuntimeException e) {
      // some containers refuse the question from a programmatically added filter: nothing to find
    }
    return false;
  }
}
