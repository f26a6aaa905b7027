package dev.requesttiming.core;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Makes meters that another instrumentation records under request-timing's names keep
 * request-timing's contract, for apps where, e.g., Spring Boot Actuator records {@code
 * http.server.requests} ({@code requests-timer=auto}):
 *
 * <ol>
 *   <li>{@code http.server.requests} timers get our histogram: a percentile histogram reaching at
 *       least 2× the largest budget, with bucket boundaries at the warn and critical levels of the
 *       default budget, at 1× and at 2×. Settings a filter added after this one makes (such as
 *       Spring Boot's {@code management.metrics.distribution.*}) win over ours.
 *   <li>A second {@code http.server.requests.active} that carries {@code status}, {@code outcome}
 *       or {@code exception} tags (the long task timer of an observation, which knows no route when
 *       the request starts and says {@code uri="UNKNOWN"}) is denied, so that the metric keeps one
 *       label set and every running request is counted once, under its endpoint, by ours.
 * </ol>
 *
 * <p>Add it to the registry before the meters are created. Thread-safe and immutable.
 */
public final class RequestTimingMeterFilter implements MeterFilter {

  private final DistributionStatisticConfig histogram;

  private RequestTimingMeterFilter(RequestTimingConfig config) {
    this.histogram = new RequestsHistogram(config).distribution();
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
    if (id.getName().equals(Meters.ACTIVE)
        && (id.getTag("status") != null || id.getTag("outcome") != null || id.getTag("exception") != null)) {
      return MeterFilterReply.DENY;
    }
    return MeterFilterReply.NEUTRAL;
  }

  @Override
  public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
    if (id.getType() == Meter.Type.TIMER && id.getName().equals(Meters.REQUESTS)) {
      return histogram.merge(config);
    }
    return config;
  }
}
