package dev.requesttiming.core.internal.metrics;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.RequestTimingConfig.RequestsTimer;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.util.FailOpen;
import dev.requesttiming.core.internal.util.Loggers;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Registers request-timing's meters and removes them again on close. A registration
 * that fails is reported to {@link FailOpen} and answered with null, which callers skip.
 *
 * <p>Thread-safe.
 */
public final class Meters {

  /** Micrometer's Prometheus registry before 1.13 (Spring Boot 2.7, 3.0 to 3.2): no direct publishing. */
  private static final String SIMPLECLIENT_REGISTRY_CLASS = "io.micrometer.prometheus.PrometheusMeterRegistry";

  private final MeterRegistry registry;
  private final FailOpen failOpen;
  private final MeterNames names;
  private final RequestsHistogram histogram;
  private final Queue<Meter> registered = new ConcurrentLinkedQueue<>();
  private final boolean requestsTimer;
  private final @Nullable PrometheusDirect direct;
  private final boolean prometheusDirect;
  private final Clock clock;
  /** The queue timer's direct publishing, once {@link #queueTimer} started it. */
  private volatile @Nullable PrometheusDirect queueDirect;

  public Meters(MeterRegistry registry, Settings settings, Clock clock, FailOpen failOpen) {
    this.registry = registry;
    this.failOpen = failOpen;
    this.requestsTimer = settings.requestsTimer() != RequestsTimer.OFF;
    this.names = MeterNames.of(settings.metricNames());
    this.histogram = new RequestsHistogram(settings);
    this.clock = clock;
    this.prometheusDirect = settings.prometheusDirect() == RequestTimingConfig.PrometheusDirect.AUTO;
    this.direct = prometheusDirect ? startDirect() : null;
    logRecorder();
  }

  /** Says at start who records the request timer here, and with which histogram. */
  private void logRecorder() {
    try {
      String recorder =
          !requestsTimer
              ? "left to another instrumentation (requests-timer=off), which gets this histogram where"
                  + " RequestTimingMeterFilter is added to its registry (Spring Boot adds it)"
              : direct != null
                  ? "recorded by request-timing, counted per thread and published to the PrometheusMeterRegistry"
                      + " directly, as its Micrometer timer would be (prometheus-direct=auto), with the histogram"
                  : "recorded by request-timing into Micrometer's timer, with the histogram";
      Loggers.CONFIG.info("{}: {}: {}", names.requests, recorder, histogram.describe());
    } catch (RuntimeException | LinkageError e) {
      // a broken logger must not stop the app from starting
    }
  }

  /** Whether request timers are told http from https (OpenTelemetry's {@code url.scheme}). */
  public boolean tagsScheme() {
    return names == MeterNames.OTEL;
  }

  /** The request timer of an endpoint's outcome; null when {@code requests-timer=off}. */
  public @Nullable DurationRecorder requestTimer(
      HttpMethod method, String uri, int status, @Nullable Class<?> exception, boolean secure) {
    if (!requestsTimer) {
      return null;
    }
    Tags tags = requestTags(method, uri, status, exception, secure);
    PrometheusDirect published = direct;
    if (published != null) {
      try {
        return published.timer(tags)::record;
      } catch (RuntimeException | LinkageError e) {
        failOpen.failed("adding a series to Prometheus", e);
        return null;
      }
    }
    Timer timer = register("a timer", () -> timerBuilder(tags).register(registry));
    return recorder(timer);
  }

  /** The tags of an endpoint's meters other than the request timer. */
  private Tags endpointTags(HttpMethod method, String uri) {
    return Tags.of(names.method, method.name(), names.route, uri);
  }

  private Tags requestTags(HttpMethod method, String uri, int status, @Nullable Class<?> exception, boolean secure) {
    Tags tags = endpointTags(method, uri).and(names.status, Integer.toString(status));
    if (names == MeterNames.SPRING) {
      return tags.and("outcome", Outcome.forStatus(status).name(), names.error, exceptionTag(exception));
    }
    String error = exception != null ? exceptionTag(exception) : status >= 500 ? Integer.toString(status) : "none";
    return tags.and(names.error, error, "url.scheme", secure ? "https" : "http");
  }

  private Timer.Builder timerBuilder(Tags tags) {
    String description =
        names == MeterNames.SPRING ? "Duration of HTTP server requests" : "Duration of HTTP server requests.";
    return histogram.applyTo(Timer.builder(names.requests).description(description).tags(tags));
  }

  /**
   * Publishes the request timer to Prometheus directly where {@link PrometheusDirect} can (a {@code
   * PrometheusMeterRegistry} on the class path and in use); null where Micrometer's timer records it.
   */
  private @Nullable PrometheusDirect startDirect() {
    if (!requestsTimer) {
      return null;
    }
    if (registry.getClass().getName().equals(SIMPLECLIENT_REGISTRY_CLASS)) {
      Loggers.CONFIG.info("{}: not published to Prometheus directly: this PrometheusMeterRegistry is the one of"
          + " Micrometer before 1.13 (Prometheus' simpleclient); recorded into Micrometer's timer", names.requests);
      return null;
    }
    Tags probe = requestTags(HttpMethod.GET, "/request-timing-probe", 200, null, false);
    return publishDirectly(names.requests, timerBuilder(probe), probe);
  }

  /**
   * Publishes the timer {@code builder} describes to the registry directly, learning its series from
   * a probe with {@code probeTags}; null where the registry is not a {@code PrometheusMeterRegistry}
   * or that cannot be promised (said at start), or failed.
   */
  private @Nullable PrometheusDirect publishDirectly(String name, Timer.Builder builder, Tags probeTags) {
    if (!registry.getClass().getName().equals(PrometheusDirect.REGISTRY_CLASS)) {
      return null;
    }
    try {
      return PrometheusDirect.start(registry, name, builder, probeTags, clock);
    } catch (PrometheusDirect.NotUsed e) {
      Loggers.CONFIG.info("{}: not published to Prometheus directly: {}", name, e.getMessage());
      return null;
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("publishing " + name + " to Prometheus", e);
      return null;
    }
  }

  public static String exceptionTag(@Nullable Class<?> exception) {
    if (exception == null) {
      return "none";
    }
    String simple = exception.getSimpleName();
    return simple.isEmpty() ? exception.getName() : simple;
  }

  public @Nullable LongTaskTimer activeTimer(HttpMethod method, String uri) {
    return register(
        "a long task timer",
        () ->
            LongTaskTimer.builder(names.active)
                .description("HTTP server requests in flight")
                .tags(endpointTags(method, uri))
                .register(registry));
  }

  public @Nullable Counter flaggedCounter(HttpMethod method, String uri, FlagLevel level) {
    return register(
        "a counter",
        () ->
            Counter.builder(names.flagged)
                .description("Requests that reached a level of their worker-timeout budget")
                .tags(endpointTags(method, uri))
                .tag(names.level, level.text())
                .register(registry));
  }

  public @Nullable Gauge budgetGauge(HttpMethod method, String uri, Duration budget) {
    double seconds = budget.toNanos() / 1e9;
    return register(
        "a gauge",
        () ->
            Gauge.builder(names.budget, () -> seconds)
                .description("The worker-timeout budget of the endpoint")
                .baseUnit("seconds")
                .tags(endpointTags(method, uri))
                .register(registry));
  }

  /** The most requests of an endpoint in flight at once in the current report interval. */
  public @Nullable Gauge peakGauge(HttpMethod method, String uri, IntSupplier peak) {
    return register(
        "a gauge",
        () ->
            Gauge.builder(names.active + ".peak", peak::getAsInt)
                .description("The most requests of the endpoint in flight at once in the current report interval")
                .tags(endpointTags(method, uri))
                .register(registry));
  }

  /** The most requests of the whole app in flight at once in the current report interval. */
  public @Nullable Gauge overallPeakGauge(IntSupplier peak) {
    return register(
        "a gauge",
        () ->
            Gauge.builder(names.active + ".peak.all", peak::getAsInt)
                .description("The most requests in flight at once in the current report interval, all endpoints")
                .register(registry));
  }

  /** A per-endpoint counter of an event: requests shed, or abandoned by their client. */
  public @Nullable Counter endpointCounter(String name, String description, HttpMethod method, String uri) {
    return register(
        "a counter",
        () -> Counter.builder(name).description(description).tags(endpointTags(method, uri)).register(registry));
  }

  /** Requests of an endpoint answered 503 before the app ran, for one reason ({@code spent}, {@code late}, ...). */
  public @Nullable Counter shedCounter(HttpMethod method, String uri, String reason) {
    return register(
        "a counter",
        () ->
            Counter.builder(names.shed)
                .description("Requests answered 503 before the app ran: their budget spent, too late, or over a share or limit")
                .tags(endpointTags(method, uri))
                .tag("reason", reason)
                .register(registry));
  }

  /** The time requests waited for a worker before they started, from the proxy's stamp: one timer for the app. */
  public @Nullable DurationRecorder queueTimer() {
    String description = "Time HTTP server requests waited for a worker";
    Timer.Builder builder = histogram.applyTo(Timer.builder(names.queue).description(description));
    PrometheusDirect published = prometheusDirect ? publishDirectly(names.queue, builder, Tags.empty()) : null;
    if (published != null) {
      queueDirect = published;
      return published.timer(Tags.empty())::record;
    }
    Timer timer = register("a timer", () -> builder.register(registry));
    return recorder(timer);
  }

  /** Micrometer's timer as a recorder; it keeps its decaying maximum on its own clock, so the end time is not used. */
  private static @Nullable DurationRecorder recorder(@Nullable Timer timer) {
    return timer == null ? null : (nanos, now) -> timer.record(nanos, TimeUnit.NANOSECONDS);
  }

  /** A counter without tags, e.g. of request stamps that could not be used. */
  public @Nullable Counter counter(String name, String description) {
    return register("a counter", () -> Counter.builder(name).description(description).register(registry));
  }

  /** A gauge without tags, e.g. of the workers busy. */
  public @Nullable Gauge gauge(String name, String description, Supplier<Number> value) {
    return register("a gauge", () -> Gauge.builder(name, value).description(description).register(registry));
  }

  /** The names this instance registers its meters under. */
  public MeterNames names() {
    return names;
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

  /** Removes every meter this instance registered, and stops publishing directly. */
  public void removeAll() {
    for (PrometheusDirect published : new PrometheusDirect[] {direct, queueDirect}) {
      if (published != null) {
        try {
          published.close();
        } catch (RuntimeException | LinkageError e) {
          failOpen.failed("removing a collector", e);
        }
      }
    }
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
