package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.RequestTimingConfig.RequestsTimer;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code http.server.requests} recorded once where Spring's {@code ServerHttpObservationFilter}
 * (which Spring Boot Actuator registers) may record it too.
 *
 * <ol>
 *   <li>At start, {@code requests-timer=auto} leaves the timer to that filter when it is registered
 *       in the web app ({@link #resolve}).
 *   <li>Then the first {@value #REQUESTS_CHECKED} requests show what really happens: Spring's filter
 *       leaves its observation on the request only when it records one (its observations can be
 *       switched off). One WARN when both record a request, or when neither does after {@code auto}
 *       left the timer to Spring; nothing when all is well.
 * </ol>
 *
 * <p>{@link #check} is called by request threads; its count of requests left to check is written
 * without synchronization on purpose (a few requests more or less do not matter) and not at all
 * after those requests.
 */
final class RequestsTimerClash {

  static final String SPRING_OBSERVATION_FILTER = "org.springframework.web.filter.ServerHttpObservationFilter";
  /** The request attribute where that filter leaves an observation that records (not a no-op one). */
  static final String SPRING_OBSERVATION_CONTEXT = SPRING_OBSERVATION_FILTER + ".context";
  static final int REQUESTS_CHECKED = 100;
  private static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.config");

  private final boolean ourTimerRecords;
  private final boolean leftToSpring;
  private int requestsLeft;

  private RequestsTimerClash(boolean ourTimerRecords, boolean leftToSpring) {
    this.ourTimerRecords = ourTimerRecords;
    this.leftToSpring = leftToSpring;
    this.requestsLeft = ourTimerRecords || leftToSpring ? REQUESTS_CHECKED : 0;
  }

  /**
   * The check for a configuration as given: {@code auto} is decided here, from the filters
   * registered in the web app; {@code on} and {@code off} are kept.
   */
  static RequestsTimerClash of(RequestTimingConfig config, ServletContext context) {
    RequestsTimer mode = config.requestsTimer();
    boolean springRecords = mode == RequestsTimer.AUTO && springObservationFilterIn(context);
    if (springRecords) {
      LOG.info(
          "Spring's ServerHttpObservationFilter records http.server.requests in this app already:"
              + " request-timing leaves that timer to it (requests-timer=auto) and records its flags,"
              + " budgets, in-flight requests and reports");
    }
    return new RequestsTimerClash(mode.records(springRecords), springRecords);
  }

  /** The configuration to start with: {@code auto} decided, as {@code on} or {@code off}. */
  RequestTimingConfig resolve(RequestTimingConfig config) {
    RequestsTimer decided = ourTimerRecords ? RequestsTimer.ON : RequestsTimer.OFF;
    return config.requestsTimer() == decided ? config : config.toBuilder().requestsTimer(decided).build();
  }

  /** Looks at a request after the chain ran; cheap, and nothing at all after the first requests. */
  void check(ServletRequest request) {
    if (requestsLeft <= 0) {
      return;
    }
    boolean springRecorded = request.getAttribute(SPRING_OBSERVATION_CONTEXT) != null;
    if (springRecorded) {
      requestsLeft = 0;
      if (ourTimerRecords) {
        LOG.warn(
            "Spring's ServerHttpObservationFilter records http.server.requests in this app too: every"
                + " request is counted twice, or a Prometheus registry rejects one of the two timers for"
                + " their different tags. Set request-timing's requests-timer=off (or auto) to leave that"
                + " timer to Spring, or turn Spring's off with"
                + " management.observations.enable.http.server.requests=false");
      }
      return;
    }
    if (--requestsLeft == 0 && leftToSpring) {
      LOG.warn(
          "request-timing left http.server.requests to Spring's ServerHttpObservationFilter"
              + " (requests-timer=auto), but it recorded none of the first {} requests (are its observations"
              + " off?): nothing records that timer. Set request-timing's requests-timer=on",
          REQUESTS_CHECKED);
    }
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
