package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestTiming;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * {@link TestApp} in a real container with {@link RequestTimingFilter} registered only through
 * init-params, and the registry in the servlet-context attribute, as a web app would do it. A filter
 * before it, as a security filter would be, waits as many milliseconds as a request asks for in the
 * header {@value #BEFORE_FILTER_MS}.
 */
final class TimedApp implements AutoCloseable {

  /** Where the live view is mapped. */
  static final String VIEW = "/admin/timing";
  /** The header that asks the filter before the timing filter to wait that many milliseconds. */
  static final String BEFORE_FILTER_MS = "X-Before-Filter-Ms";

  final MeterRegistry registry;
  final Http http;
  final TestApp servlet;
  private final ServletContainer container;
  private final ServletContext context;

  private TimedApp(MeterRegistry registry, ServletContainer container, int port, TestApp servlet, ServletContext context) {
    this.registry = registry;
    this.context = context;
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
    ServletContext[] started = new ServletContext[1];
    int port =
        container.start(
            (classes, context) -> {
              started[0] = context;
              context.setAttribute(RequestTimingFilter.REGISTRY_ATTRIBUTE, registry);
              FilterRegistration.Dynamic before = context.addFilter("before", (Filter) TimedApp::waitIfAsked);
              before.setAsyncSupported(true);
              before.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
              if (timed) {
                FilterRegistration.Dynamic filter =
                    context.addFilter("requestTiming", RequestTimingFilter.class);
                filter.setAsyncSupported(true);
                filter.setInitParameters(params);
                filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
              }
              context.addServlet("view", new RequestTimingViewServlet()).addMapping(VIEW + "/*");
              ServletRegistration.Dynamic app = context.addServlet("app", servlet);
              app.setAsyncSupported(true);
              app.addMapping("/");
            });
    return new TimedApp(registry, container, port, servlet, started[0]);
  }

  private static void waitIfAsked(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String ms = ((HttpServletRequest) request).getHeader(BEFORE_FILTER_MS);
    if (ms != null) {
      try {
        Thread.sleep(Long.parseLong(ms));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    chain.doFilter(request, response);
  }

  /** The filter's engine, as it publishes it in the servlet context. */
  RequestTiming<?> timing() {
    return (RequestTiming<?>) context.getAttribute(RequestTimingFilter.TIMING_ATTRIBUTE);
  }

  int port() {
    return http.port;
  }

  Search requests(String uri) {
    return registry.find("http.server.requests").tag("uri", uri);
  }

  /** Requests recorded under a route: in the scrape for a Prometheus registry, else in its timers. */
  long count(String uri) {
    if (registry instanceof PrometheusMeterRegistry) {
      return scraped(uri).stream().mapToLong(ScrapedSeries::count).sum();
    }
    return requests(uri).timers().stream().mapToLong(Timer::count).sum();
  }

  /** The one series of a route in the scrape of this app's Prometheus registry. */
  ScrapedSeries series(String uri) {
    List<ScrapedSeries> series = scraped(uri);
    if (series.size() != 1) {
      throw new AssertionError("expected one series of " + uri + ", found " + series);
    }
    return series.get(0);
  }

  private List<ScrapedSeries> scraped(String uri) {
    return ScrapedSeries.all((PrometheusMeterRegistry) registry).stream()
        .filter(s -> uri.equals(s.labels().get("uri")))
        .toList();
  }

  @Override
  public void close() throws Exception {
    container.close();
  }
}
