package dev.requesttiming.core;

import dev.requesttiming.core.internal.metrics.MeterNames;
import dev.requesttiming.core.internal.metrics.RequestsHistogram;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes meters that another instrumentation records under request-timing's names keep
 * request-timing's contract, for apps where, e.g., Spring Boot Actuator records {@code
 * http.server.requests} ({@code requests-timer=auto}). With {@code metric-names=otel} the same holds
 * for {@code http.server.request.duration}.
 *
 * <ol>
 *   <li>{@code http.server.requests} timers get our histogram: a percentile histogram reaching at
 *       least 2× the largest budget, with bucket boundaries at the warn and critical levels of the
 *       default budget, at 1× and at 2×. Settings a filter added after this one makes (such as
 *       Spring Boot's {@code management.metrics.distribution.*}) win over ours.
 *   <li>A second {@code http.server.requests.active} that carries status, outcome or exception
 *       tags (the long task timer of an observation, which knows no route when the request starts
 *       and says {@code uri="UNKNOWN"}) is denied, so that the metric keeps one label set and every
 *       running request is counted once, under its endpoint, by ours.
 * </ol>
 *
 * <p>Add it to the registry before the meters are created. Thread-safe and immutable.
 */
public final class RequestTimingMeterFilter implements MeterFilter {

  /** Tags that an in-flight long task timer of ours never has, and an observation's always has. */
  private static final String[] FOREIGN_ACTIVE_TAGS = {
    "status", "outcome", "exception", "http.response.status_code", "error.type"
  };

  private final Supplier<RequestTimingConfig> source;
  /** Read from the source at the first request meter; the same value whichever thread reads it first. */
  private volatile @Nullable Contract contract;

  /** The names and histogram this filter keeps, of one configuration. */
  private record Contract(MeterNames names, DistributionStatisticConfig histogram) {
    static Contract of(RequestTimingConfig config) {
      return new Contract(MeterNames.of(config.metricNames()), new RequestsHistogram(config.settings()).distribution());
    }
  }

  private RequestTimingMeterFilter(Supplier<RequestTimingConfig> source) {
    this.source = source;
  }

  /**
   * The filter for this configuration's budgets.
   *
   * @throws NullPointerException if config is null
   */
  public static RequestTimingMeterFilter of(RequestTimingConfig config) {
    RequestTimingMeterFilter filter = lazy(() -> config);
    filter.contract = Contract.of(Objects.requireNonNull(config, "config == null"));
    return filter;
  }

  /**
   * The filter for a configuration read when the first request meter is registered, not before: for
   * a registry that is built before the configuration can be (in Spring Boot, the configuration
   * depends on beans that depend on the registry). Meters of other names never read it.
   *
   * @throws NullPointerException if config is null
   */
  public static RequestTimingMeterFilter lazy(Supplier<RequestTimingConfig> config) {
    return new RequestTimingMeterFilter(Objects.requireNonNull(config, "config == null"));
  }

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    if (isRequestMeter(id) && id.getName().equals(contract().names().active)) {
      for (String tag : FOREIGN_ACTIVE_TAGS) {
        if (id.getTag(tag) != null) {
          return MeterFilterReply.DENY;
        }
      }
    }
    return MeterFilterReply.NEUTRAL;
  }

  @Override
  public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    if (id.getType() == Meter.Type.TIMER && isRequestMeter(id)) {
      Contract kept = contract();
      if (id.getName().equals(kept.names().requests)) {
        return kept.histogram().merge(config);
      }
    }
    return config;
  }

  /** Whether the meter is a request timer or its in-flight timer under either naming: cheap, and no config read. */
  private static boolean isRequestMeter(Meter.Id id) {
    String name = id.getName();
    return name.startsWith(MeterNames.SPRING.requests) || name.startsWith(MeterNames.OTEL.requests);
  }

  private Contract contract() {
    Contract kept = contract;
    if (kept == null) {
      kept = Contract.of(Objects.requireNonNull(source.get(), "config == null"));
      contract = kept;
    }
    return kept;
  }
}
