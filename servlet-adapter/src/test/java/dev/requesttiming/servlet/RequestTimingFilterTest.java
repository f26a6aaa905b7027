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

  @Test
  void badInitParam_failsStartWithItsName() {
    RequestTimingFilter filter = new RequestTimingFilter();
    assertThatThrownBy(() -> filter.init(filterConfig(Map.of("warn-at", "lots"), null)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("warn-at: 'lots' is not a fraction; use e.g. 0.8 or 80%");
  }
}
