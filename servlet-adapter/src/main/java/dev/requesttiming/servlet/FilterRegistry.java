package dev.requesttiming.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.ServletContext;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The registry a filter configured by init-params records into: the servlet context's (attribute
 * {@value RequestTimingFilter#REGISTRY_ATTRIBUTE}); else, with the init-param {@value #PARAMETER}{@code
 * =prometheus}, a Prometheus registry of its own ({@link PrometheusScrape}); else Micrometer's global
 * registry, with a WARN at start when that holds no registry and the metrics would go nowhere.
 */
final class FilterRegistry implements AutoCloseable {

  /** The filter's own init-param (not a parameter of the core): {@code global} or {@code prometheus}. */
  static final String PARAMETER = "registry";

  private static final Logger LOG = ConfigLog.LOG;

  final MeterRegistry registry;
  private final @Nullable PrometheusScrape built;

  private FilterRegistry(MeterRegistry registry, @Nullable PrometheusScrape built) {
    this.registry = registry;
    this.built = built;
  }

  /**
   * @throws IllegalArgumentException for a value other than {@code global} and {@code prometheus},
   *     or {@code prometheus} without micrometer-registry-prometheus on the class path
   */
  static FilterRegistry of(ServletContext context, @Nullable String parameter) {
    String mode = parameter == null ? "global" : parameter.trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("global") && !mode.equals("prometheus")) {
      throw new IllegalArgumentException(PARAMETER + ": '" + parameter + "' is not allowed; use global (Micrometer's global"
          + " registry, the default) or prometheus (a Prometheus registry served by client_java's PrometheusMetricsServlet)");
    }
    if (context.getAttribute(RequestTimingFilter.REGISTRY_ATTRIBUTE) instanceof MeterRegistry given) {
      return new FilterRegistry(given, null);
    }
    if (mode.equals("prometheus")) {
      if (Containers.load(FilterRegistry.class.getClassLoader(), PrometheusScrape.REGISTRY_CLASS) == null) {
        throw new IllegalArgumentException(PARAMETER + ": 'prometheus' needs io.micrometer:micrometer-registry-prometheus"
            + " (1.13 or later) in WEB-INF/lib, and io.prometheus:prometheus-metrics-exporter-servlet-jakarta for the scrape");
      }
      PrometheusScrape scrape = new PrometheusScrape();
      LOG.info("http.server.requests and the JVM's metrics are recorded into a Prometheus registry ({}=prometheus), served"
          + " by client_java's PrometheusMetricsServlet where web.xml maps it", PARAMETER);
      return new FilterRegistry(scrape.registry, scrape);
    }
    if (Metrics.globalRegistry.getRegistries().isEmpty()) {
      LOG.warn("request-timing records into Micrometer's global registry, which holds no registry: the metrics go nowhere."
          + " Set the filter's init-param {}=prometheus and map io.prometheus.metrics.exporter.servlet.jakarta"
          + ".PrometheusMetricsServlet to scrape them, or put a MeterRegistry in the servlet-context attribute {}",
          PARAMETER, RequestTimingFilter.REGISTRY_ATTRIBUTE);
    }
    return new FilterRegistry(Metrics.globalRegistry, null);
  }

  /** Closes the Prometheus registry this built, if any; a registry it was given is its owner's. */
  @Override
  public void close() {
    if (built != null) {
      built.close();
    }
  }
}
