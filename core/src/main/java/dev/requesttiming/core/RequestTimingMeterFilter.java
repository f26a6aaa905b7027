package dev.requesttiming.core;

import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.metrics.MeterNames;
import dev.requesttiming.core.internal.metrics.RequestsHistogram;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Objects;
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

  private final MeterNames names;
  private final DistributionStatisticConfig histogram;

  private RequestTimingMeterFilter(RequestTimingConfig config) {
    this.names = MeterNames.of(config.metricNames());
    this.histogram = new RequestsHistogram(config.settings()).distribution();
  }

  /**
   * The filter for this configuration's budgets.
   *
   * @throws NullPointerException if config is null
   */
  public static RequestTimingMeterFilter of(RequestTimingConfig config) {
    return new RequestTimingMeterFilter(Objects.requireNonNull(config, "config == null"));
  }

  @Override
  public MeterFilterReply accept(Meter.Id id) {
    if (id.getName().equals(names.active)) {
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
    if (id.getType() == Meter.Type.TIMER && id.getName().equals(names.requests)) {
      return histogram.merge(config);
    }
    return config;
  }
}
