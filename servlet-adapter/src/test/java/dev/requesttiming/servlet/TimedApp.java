package dev.requesttiming.servlet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletRegistration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import java.util.EnumSet;
import java.util.Map;

/**
 * {@link TestApp} in a real container with {@link RequestTimingFilter} registered only through
 * init-params, and the registry in the servlet-context attribute, as a web app would do it.
 */
final class TimedApp implements AutoCloseable {

  final MeterRegistry registry;
  final Http http;
  final TestApp servlet;
  private final ServletContainer container;

  private TimedApp(MeterRegistry registry, ServletContainer container, int port, TestApp servlet) {
    this.registry = registry;
    this.servlet = servlet;
    this.container = container;
    this.http = new Http(port);
  }

  static TimedApp start(ServletContainer container, MeterRegistry registry, Map<String, String> params)
      throws Exception {
    return start(container, registry, params, true);
  }

  /** The same app without the filter, to compare responses with. */
  static TimedApp untimed(ServletContainer container) throws Exception {
    return start(container, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Map.of(), false);
  }

  private static TimedApp start(
      ServletContainer container, MeterRegistry registry, Map<String, String> params, boolean timed)
      throws Exception {
    TestApp servlet = new TestApp();
    int port =
        container.start(
            (classes, context) -> {
              context.setAttribute(RequestTimingFilter.REGISTRY_ATTRIBUTE, registry);
              if (timed) {
                FilterRegistration.Dynamic filter =
                    context.addFilter("requestTiming", RequestTimingFilter.class);
                filter.setAsyncSupported(true);
                filter.setInitParameters(params);
                filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
              }
              ServletRegistration.Dynamic app = context.addServlet("app", servlet);
              app.setAsyncSupported(true);
              app.addMapping("/");
            });
    return new TimedApp(registry, container, port, servlet);
  }

  int port() {
    return http.port;
  }

  Search requests(String uri) {
    return registry.find("http.server.requests").tag("uri", uri);
  }

  long count(String uri) {
    return requests(uri).timers().stream().mapToLong(Timer::count).sum();
  }

  @Override
  public void close() throws Exception {
    container.close();
  }
}
