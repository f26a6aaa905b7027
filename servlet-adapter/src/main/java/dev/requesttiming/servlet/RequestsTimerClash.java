package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.RequestTimingConfig.RequestsTimer;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Keeps {@code http.server.requests} recorded once where a filter of Spring's records it too: the
 * {@code ServerHttpObservationFilter} of Spring Boot 3 and 4's Actuator, or Spring Boot 2's {@code
 * WebMvcMetricsFilter}.
 *
 * <ol>
 *   <li>At start, {@code requests-timer=auto} leaves the timer to that filter when it is registered
 *       in the web app ({@link #resolve}).
 *   <li>Then the first {@value #REQUESTS_CHECKED} requests show what really happens: Spring's filter
 *       leaves its attribute on the request when it records one. One WARN when both record a request, or when neither does after {@code auto}
 *       left the timer to Spring; nothing when all is well.
 * </ol>
 *
 * <p>{@link #check} is called by request threads; its count of requests left to check is written
 * without synchronization on purpose (a few requests more or less do not matter) and not at all
 * after those requests.
 */
final class RequestsTimerClash {

  /**
   * A filter of Spring's that records {@code http.server.requests}, and the request attribute it
   * leaves on a request it records.
   */
  record Recorder(String name, String filterClass, String attribute) {}

  /** Spring Framework 6's observation filter, which Spring Boot 3 and 4's Actuator registers. */
  static final Recorder SPRING_OBSERVATION = new Recorder("Spring's ServerHttpObservationFilter",
      "org.springframework.web.filter.ServerHttpObservationFilter",
      // left only on a request whose observation records (not a no-op one)
      "org.springframework.web.filter.ServerHttpObservationFilter.context");
  /** Spring Boot 2's Actuator filter (javax.servlet apps). */
  static final Recorder BOOT2_METRICS = new Recorder("Spring Boot 2's WebMvcMetricsFilter",
      "org.springframework.boot.actuate.metrics.web.servlet.WebMvcMetricsFilter",
      "org.springframework.boot.actuate.metrics.web.servlet.WebMvcMetricsFilter$TimingContext");
  private static final List<Recorder> RECORDERS = List.of(SPRING_OBSERVATION, BOOT2_METRICS);
  static final int REQUESTS_CHECKED = 100;
  private static final Logger LOG = ConfigLog.LOG;

  private final boolean ourTimerRecords;
  private final @Nullable Recorder leftTo;
  private int requestsLeft;

  private RequestsTimerClash(boolean ourTimerRecords, @Nullable Recorder leftTo) {
    this.ourTimerRecords = ourTimerRecords;
    this.leftTo = leftTo;
    this.requestsLeft = ourTimerRecords || leftTo != null ? REQUESTS_CHECKED : 0;
  }

  /**
   * The check for a configuration as given: {@code auto} is decided here, from the filters
   * registered in the web app; {@code on} and {@code off} are kept.
   */
  static RequestsTimerClash of(RequestTimingConfig config, ServletContext context) {
    RequestsTimer mode = config.requestsTimer();
    Recorder spring = mode == RequestsTimer.AUTO ? registeredIn(context) : null;
    if (spring != null) {
      LOG.info(
          "{} records http.server.requests in this app already: request-timing leaves that timer to it"
              + " (requests-timer=auto) and records its flags, budgets, in-flight requests and reports", spring.name());
    }
    return new RequestsTimerClash(mode.records(spring != null), spring);
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
    for (Recorder spring : RECORDERS) {
      if (request.getAttribute(spring.attribute()) != null) {
        requestsLeft = 0;
        if (ourTimerRecords) {
          LOG.warn(
              "{} records http.server.requests in this app too: every request is counted twice, or a"
                  + " Prometheus registry rejects one of the two timers for their different tags. Set"
                  + " request-timing's requests-timer=off (or auto) to leave that timer to Spring, or turn"
                  + " Spring's off (Boot 3 and 4: management.observations.enable.http.server.requests=false;"
                  + " Boot 2: management.metrics.web.server.request.autotime.enabled=false)", spring.name());
        }
        return;
      }
    }
    if (--requestsLeft == 0 && leftTo != null) {
      LOG.warn(
          "request-timing left http.server.requests to {} (requests-timer=auto), but it recorded none of"
              + " the first {} requests (are its metrics off?): nothing records that timer. Set request-timing's"
              + " requests-timer=on",
          leftTo.name(), REQUESTS_CHECKED);
    }
  }

  private static @Nullable Recorder registeredIn(ServletContext context) {
    try {
      for (FilterRegistration registration : context.getFilterRegistrations().values()) {
        for (Recorder spring : RECORDERS) {
          if (spring.filterClass().equals(registration.getClassName())) {
            return spring;
          }
        }
      }
    } catch (RuntimeException e) {
      // some containers refuse the question from a programmatically added filter: nothing to find
    }
    return null;
  }
}
