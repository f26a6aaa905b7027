package dev.requesttiming.core;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Registers request-timing's meters (DESIGN §6) and removes them again on close. A registration
 * that fails is reported to {@link FailOpen} and answered with null, which callers skip.
 *
 * <p>Thread-safe.
 */
final class Meters {

  private final MeterRegistry registry;
  private final FailOpen failOpen;
  private final MetricNames names;
  private final RequestsHistogram histogram;
  private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
  private final boolean requestsTimer;

  Meters(MeterRegistry registry, RequestTimingConfig config, FailOpen failOpen) {
    this.registry = registry;
    this.failOpen = failOpen;
    this.requestsTimer = !config.requestsTimer().equals("off");
    this.names = config.metricNames();
    this.histogram = new RequestsHistogram(config);
  }

  /** Whether request timers are told http from https (OpenTelemetry's {@code url.scheme}). */
  boolean tagsScheme() {
    return names == MetricNames.OTEL;
  }

  /** The request timer of an endpoint's outcome; null when {@code requests-timer=off}. */
  @Nullable Timer requestTimer(HttpMethod method, String uri, int status, @Nullable Class<?> exception, boolean secure) {
    if (!requestsTimer) {
      return null;
    }
    return register(
        "a timer",
        () -> {
          Timer.Builder timer =
              Timer.builder(names.requests)
                  .tag(names.method, method.name())
                  .tag(names.route, uri)
                  .tag(names.status, Integer.toString(status));
          if (names == MetricNames.SPRING) {
            timer
                .description("Duration of HTTP server requests")
                .tag("outcome", Outcome.forStatus(status).name())
                .tag(names.error, exceptionTag(exception));
          } else {
            timer
                .description("Duration of HTTP server requests.")
                .tag(names.error, exception != null ? exceptionTag(exception) : status >= 500 ? Integer.toString(status) : "none")
                .tag("url.scheme", secure ? "https" : "http");
          }
          return histogram.applyTo(timer).register(registry);
        });
  }

  static String exceptionTag(@Nullable Class<?> exception) {
    if (exception == null) {
      return "none";
    }
    String simple = exception.getSimpleName();
    return simple.isEmpty() ? exception.getName() : simple;
  }

  @Nullable LongTaskTimer activeTimer(HttpMethod method, String uri) {
    return register(
        "a long task timer",
        () ->
            LongTaskTimer.builder(names.active)
                .description("HTTP server requests in flight")
                .tag(names.method, method.name())
                .tag(names.route, uri)
                .register(registry));
  }

  @Nullable Counter flaggedCounter(HttpMethod method, String uri, FlagLevel level) {
    return register(
        "a counter",
        () ->
            Counter.builder(names.flagged)
                .description("Requests that reached a level of their worker-timeout budget")
                .tag(names.method, method.name())
                .tag(names.route, uri)
                .tag(names.level, level.text())
                .register(registry));
  }

  @Nullable Gauge budgetGauge(HttpMethod method, String uri, Duration budget) {
    double seconds = budget.toNanos() / 1e9;
    return register(
        "a gauge",
        () ->
            Gauge.builder(names.budget, () -> seconds)
                .description("The worker-timeout budget of the endpoint")
                .baseUnit("seconds")
                .tag(names.method, method.name())
                .tag(names.route, uri)
                .register(registry));
  }

  /** The most requests of an endpoint in flight at once in the current report interval. */
  @Nullable Gauge peakGauge(HttpMethod method, String uri, AtomicInteger peak) {
    return register(
        "a gauge",
        () ->
            Gauge.builder(names.active + ".peak", peak::get)
                .description("The most requests of the endpoint in flight at once in the current report interval")
                .tag(names.method, method.name())
                .tag(names.route, uri)
                .register(registry));
  }

  /** The most requests of the whole app in flight at once in the current report interval. */
  @Nullable Gauge overallPeakGauge(AtomicInteger peak) {
    return register(
        "a gauge",
        () ->
            Gauge.builder(names.active + ".peak.all", peak::get)
                .description("The most requests in flight at once in the current report interval, all endpoints")
                .register(registry));
  }

  private <M extends Meter> @Nullable M register(String what, Supplier<M> registration) {
    try {
      M meter = registration.get();
      registered.add(meter);
      return meter;
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("registering " + what, e);
      return null;
    }
  }

  /** Removes every meter this instance registered. */
  void removeAll() {
    Meter meter;
    while ((meter = registered.poll()) != null) {
      try {
        registry.remove(meter);
      } catch (RuntimeException | LinkageError e) {
        failOpen.failed("removing a meter", e);
      }
    }
  }
}
