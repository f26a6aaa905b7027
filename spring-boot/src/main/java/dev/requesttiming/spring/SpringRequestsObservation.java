package dev.requesttiming.spring;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Whether Spring records {@code http.server.requests} in this app: its {@code
 * ServerHttpObservationFilter} is registered (Actuator names it {@code webMvcObservationFilter}) and
 * an {@code http.server.requests} observation is not a no-op (observations can be switched off, e.g.
 * with {@code management.observations.enable.http.server.requests=false} or in tests).
 */
final class SpringRequestsObservation {

  static final String FILTER_BEAN = "webMvcObservationFilter";

  private SpringRequestsObservation() {}

  static boolean isActive(ListableBeanFactory beans, @Nullable ObservationRegistry observations) {
    if (observations == null || !filterRegistered(beans)) {
      return false;
    }
    return !Observation.createNotStarted("http.server.requests", observations).isNoop();
  }

  private static boolean filterRegistered(ListableBeanFactory beans) {
    if (beans.containsBean(FILTER_BEAN)) {
      return true;
    }
    // spring-web is in every servlet web app, the only kind this auto-configuration runs in
    return beans.getBeanNamesForType(ServerHttpObservationFilter.class, false, false).length > 0;
  }
}
