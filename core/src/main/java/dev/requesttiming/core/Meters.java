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
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Registers request-timing's meters (DESIGN §6) and removes them again on close. A registration
 * that fails is reported to {@link FailOpen} and answered with null, which callers skip.
 *
 * <p>Thread-safe.
 */
final class Meters {

  static final String REQUESTS = "http.server.requests";
  static final String ACTIVE = "http.server.requests.active";
  static final String FLAGGED = "http.server.requests.budget.flagged";
  static final String BUDGET = "http.server.requests.budget";

  private final MeterRegistry registry;
  private final FailOpen failOpen;
  private final RequestsHistogram histogram;
  private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
  private final boolean requestsTimer;

  Meters(MeterRegistry registry, RequestTimingConfig config, FailOpen failOpen) {
    this.registry = registry;
    this.failOpen = failOpen;
    this.requestsTimer = !config.requestsTimer().equals("off");
    this.histogram = new RequestsHistogram(config);
  }

  /** The request timer of an endpoint's status and exception; null when {@code requests-timer=off}. */
  @Nullable Timer requestTimer(HttpMethod method, String uri, int status, String exception) {
    if (!requestsTimer) {
      return null;
    }
    return register(
        "a timer",
        () ->
            histogram
                .applyTo(
                    Timer.builder(REQUESTS)
                        .description("Duration of HTTP server requests")
                        .tag("method", method.name())
                        .tag("uri", uri)
                        .tag("status", Integer.toString(status))
                        .tag("outcome", Outcome.forStatus(status).name())
                        .tag("exception", exception))
                .register(registry));
  }

  @Nullable LongTaskTimer activeTimer(HttpMethod method, String uri) {
    return register(
        "a long task timer",
        () ->
            LongTaskTimer.builder(ACTIVE)
                .description("HTTP server requests in flight")
                .tag("method", method.name())
                .tag("uri", uri)
                .register(registry));
  }

  @Nullable Counter flaggedCounter(HttpMethod method, String uri, FlagLevel level) {
    return register(
        "a counter",
        () ->
            Counter.builder(FLAGGED)
                .description("Requests that reached a level of their worker-timeout budget")
                .tag("method", method.name())
                .tag("uri", uri)
                .tag("level", level.text())
                .register(registry));
  }

  @Nullable Gauge budgetGauge(HttpMethod method, String uri, Duration budget) {
    double seconds = budget.toNanos() / 1e9;
    return register(
        "a gauge",
        () ->
            Gauge.builder(BUDGET, () -> seconds)
                .description("The worker-timeout budget of the endpoint")
                .baseUnit("seconds")
                .tag("method", method.name())
                .tag("uri", uri)
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
