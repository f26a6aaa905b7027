package dev.requesttiming.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestTimingFilterTest {

  private static FilterConfig filterConfig(Map<String, String> params, Object registry) {
    ServletContext context = mock(ServletContext.class);
    when(context.getAttribute(RequestTimingFilter.REGISTRY_ATTRIBUTE)).thenReturn(registry);
    FilterConfig config = mock(FilterConfig.class);
    when(config.getServletContext()).thenReturn(context);
    when(config.getInitParameterNames()).thenReturn(Collections.enumeration(List.copyOf(params.keySet())));
    params.forEach((k, v) -> when(config.getInitParameter(k)).thenReturn(v));
    return config;
  }

  private static long timingThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("request-timing-"))
        .count();
  }

  @Test
  void initDestroyCycles_leaveNoThreadAndNoMeterBehind() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    long before = timingThreads();
    for (int i = 0; i < 100; i++) {
      RequestTimingFilter filter = new RequestTimingFilter();
      filter.init(filterConfig(Map.of("budget", "2s", "report-interval", "1s"), registry));
      filter.destroy();
    }
    assertThat(timingThreads()).isEqualTo(before);
    assertThat(registry.getMeters()).isEmpty();
  }

  private static RequestTimingFilter startedFilter(SimpleMeterRegistry registry) {
    RequestTimingFilter filter = new RequestTimingFilter(registry, dev.requesttiming.core.RequestTimingConfig.defaults());
    filter.init(filterConfig(Map.of(), null));
    return filter;
  }

  /** A narrow fake of a GET request: only what the filter reads. */
  private static jakarta.servlet.http.HttpServletRequest getRequest(String contextPath, String uri) {
    jakarta.servlet.http.HttpServletRequest request = mock(jakarta.servlet.http.HttpServletRequest.class);
    when(request.getDispatcherType()).thenReturn(jakarta.servlet.DispatcherType.REQUEST);
    when(request.getMethod()).thenReturn("GET");
    when(request.getContextPath()).thenReturn(contextPath);
    when(request.getRequestURI()).thenReturn(uri);
    return request;
  }

  static List<Throwable> failures() {
    return List.of(
        new java.io.IOException("io"),
        new jakarta.servlet.ServletException("servlet"),
        new IllegalStateException("runtime"),
        new StackOverflowError("error"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.MethodSource("failures")
  void everyKindOfException_rethrownAsTheSameInstance_andRecorded(Throwable failure) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestTimingFilter filter = startedFilter(registry);
    jakarta.servlet.http.HttpServletRequest request = getRequest("", "/api/boom");
    jakarta.servlet.http.HttpServletResponse response = mock(jakarta.servlet.http.HttpServletResponse.class);
    jakarta.servlet.FilterChain chain =
        (req, res) -> {
          if (failure instanceof java.io.IOException io) {
            throw io;
          } else if (failure instanceof jakarta.servlet.ServletException se) {
            throw se;
          } else if (failure instanceof RuntimeException re) {
            throw re;
          }
          throw (Error) failure;
        };
    try {
      assertThatThrownBy(() -> filter.doFilter(request, response, chain)).isSameAs(failure);
      io.micrometer.core.instrument.Timer timer =
          registry.get("http.server.requests").tag("uri", "/api/boom").timer();
      assertThat(timer.count()).isEqualTo(1);
      assertThat(timer.getId().getTag("status")).isEqualTo("500");
      assertThat(timer.getId().getTag("exception")).isEqualTo(failure.getClass().getSimpleName());
    } finally {
      filter.destroy();
    }
  }

  private static ServletContext contextWithSpringObservationFilter() {
    ServletContext context = mock(ServletContext.class);
    jakarta.servlet.FilterRegistration spring = mock(jakarta.servlet.FilterRegistration.class);
    when(spring.getClassName()).thenReturn("org.springframework.web.filter.ServerHttpObservationFilter");
    java.util.Map<String, jakarta.servlet.FilterRegistration> registrations = Map.of("webMvcObservationFilter", spring);
    org.mockito.Mockito.<java.util.Map<String, ? extends jakarta.servlet.FilterRegistration>>when(context.getFilterRegistrations())
        .thenReturn(registrations);
    return context;
  }

  @Test
  void springObservationFilter_autoLeavesTheTimerToIt() {
    dev.requesttiming.core.RequestTimingConfig auto =
        dev.requesttiming.core.RequestTimingConfig.builder().requestsTimer(dev.requesttiming.core.RequestTimingConfig.RequestsTimer.AUTO).build();
    assertThat(RequestsTimerClash.of(auto, contextWithSpringObservationFilter()).resolve(auto).requestsTimer()).isEqualTo(dev.requesttiming.core.RequestTimingConfig.RequestsTimer.OFF);
    assertThat(RequestsTimerClash.of(auto, mock(ServletContext.class)).resolve(auto).requestsTimer()).isEqualTo(dev.requesttiming.core.RequestTimingConfig.RequestsTimer.ON);
  }

  private static jakarta.servlet.ServletRequest requestRecordedBySpring(boolean recorded) {
    jakarta.servlet.ServletRequest request = mock(jakarta.servlet.ServletRequest.class);
    when(request.getAttribute(RequestsTimerClash.SPRING_OBSERVATION.attribute())).thenReturn(recorded ? new Object() : null);
    return request;
  }

  @Test
  void timerOn_warnsOnce_onlyWhenSpringsObservationReallyRecordsTheRequests() {
    dev.requesttiming.core.RequestTimingConfig on = dev.requesttiming.core.RequestTimingConfig.defaults();
    try (dev.requesttiming.core.LogCapture log = dev.requesttiming.core.LogCapture.of("dev.requesttiming.config")) {
      // Spring's filter registered, its observations off (management.observations.enable...=false): no warning
      RequestsTimerClash observationsOff = RequestsTimerClash.of(on, contextWithSpringObservationFilter());
      for (int i = 0; i < 200; i++) {
        observationsOff.check(requestRecordedBySpring(false));
      }
      assertThat(log.messages()).isEmpty();

      RequestsTimerClash observationsOn = RequestsTimerClash.of(on, contextWithSpringObservationFilter());
      observationsOn.check(requestRecordedBySpring(false));
      observationsOn.check(requestRecordedBySpring(true));
      observationsOn.check(requestRecordedBySpring(true));
      assertThat(log.messages())
          .singleElement()
          .asString()
          .contains("every request is counted twice")
          .contains("requests-timer=off")
          .contains("management.observations.enable.http.server.requests=false");
    }
  }

  @Test
  void timerLeftToSpring_warnsOnce_whenSpringRecordsNoneOfTheFirstRequests() {
    dev.requesttiming.core.RequestTimingConfig auto =
        dev.requesttiming.core.RequestTimingConfig.builder().requestsTimer(dev.requesttiming.core.RequestTimingConfig.RequestsTimer.AUTO).build();
    try (dev.requesttiming.core.LogCapture log = dev.requesttiming.core.LogCapture.of("dev.requesttiming.config")) {
      RequestsTimerClash recording = RequestsTimerClash.of(auto, contextWithSpringObservationFilter());
      recording.check(requestRecordedBySpring(true));
      assertThat(log.events()).noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN);
      assertThat(log.messages()).singleElement().asString().contains("leaves that timer to it");

      RequestsTimerClash silent = RequestsTimerClash.of(auto, contextWithSpringObservationFilter());
      for (int i = 0; i < RequestsTimerClash.REQUESTS_CHECKED + 50; i++) {
        silent.check(requestRecordedBySpring(false));
      }
      assertThat(log.messages()).filteredOn(m -> m.contains("recorded none of the first 100 requests"))
          .singleElement().asString().contains("requests-timer=on");
    }
  }

  @Test
  void contextPath_isNotPartOfTheEndpoint() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestTimingFilter filter = startedFilter(registry);
    jakarta.servlet.http.HttpServletRequest request = getRequest("/shop", "/shop/api/users/7");
    jakarta.servlet.http.HttpServletResponse response = mock(jakarta.servlet.http.HttpServletResponse.class);
    when(response.getStatus()).thenReturn(200);
    try {
      filter.doFilter(request, response, (req, res) -> {});
      assertThat(registry.get("http.server.requests").tag("uri", "/api/users/{id}").timer().count()).isEqualTo(1);
    } finally {
      filter.destroy();
    }
  }

  @Test
  void badInitParam_failsStartWithItsName() {
    RequestTimingFilter filter = new RequestTimingFilter();
    assertThatThrownBy(() -> filter.init(filterConfig(Map.of("warn-at", "lots"), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("warn-at: 'lots' is not a fraction; use e.g. 0.8 or 80%");
  }
}
