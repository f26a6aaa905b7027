package dev.requesttiming.servlet;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code registry=prometheus}: a {@link PrometheusMeterRegistry} built on Prometheus client_java's
 * default registry, which client_java's scrape servlet ({@code PrometheusMetricsServlet}, jakarta
 * or javax) serves, with the JVM's metrics beside ours. It is added to Micrometer's global registry
 * too, so the app's own {@code Metrics.timer(…)} land on the same scrape. Loaded only with that
 * parameter set: micrometer-registry-prometheus is an optional dependency.
 */
final class PrometheusScrape implements AutoCloseable {

  static final String REGISTRY_CLASS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  PrometheusScrape() {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, PrometheusRegistry.defaultRegistry, Clock.SYSTEM);
    gc = new JvmGcMetrics();
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    Metrics.addRegistry(registry);
  }

  /** Takes every series off the default registry (an undeployed app leaves none behind) and stops the GC listener. */
  @Override
  public void close() {
    Metrics.removeRegistry(registry);
    gc.close();
    registry.clear();
    registry.close();
  }
}
