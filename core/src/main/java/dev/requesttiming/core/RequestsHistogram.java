package dev.requesttiming.core;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;

/**
 * The distribution that {@code http.server.requests} must publish for the shipped Prometheus rules
 * and dashboards (DESIGN §6): a percentile histogram reaching at least twice the largest budget, and
 * bucket boundaries at the default budget's warn and critical levels, at 1× and at 2×. One place for
 * both our own timer and a timer another instrumentation records (through {@link
 * RequestTimingMeterFilter}).
 */
final class RequestsHistogram {

  private static final Duration SMALLEST_MAXIMUM = Duration.ofSeconds(30);

  private final Duration[] serviceLevelObjectives;
  private final Duration maximumExpected;

  RequestsHistogram(RequestTimingConfig config) {
    Duration budget = config.budget();
    this.serviceLevelObjectives =
        new Duration[] {
          scaled(budget, config.warnAt()), scaled(budget, config.criticalAt()), budget, budget.multipliedBy(2)
        };
    Duration twiceLargest = config.endpointBudgets().largest().multipliedBy(2);
    this.maximumExpected = twiceLargest.compareTo(SMALLEST_MAXIMUM) > 0 ? twiceLargest : SMALLEST_MAXIMUM;
  }

  private static Duration scaled(Duration d, double fraction) {
    return Duration.ofNanos(Math.round(d.toNanos() * fraction));
  }

  Timer.Builder applyTo(Timer.Builder timer) {
    return timer
        .publishPercentileHistogram()
        .serviceLevelObjectives(serviceLevelObjectives)
        .maximumExpectedValue(maximumExpected);
  }

  /** The same settings for a timer built elsewhere (a timer's values are in nanoseconds). */
  DistributionStatisticConfig distribution() {
    double[] boundaries = new double[serviceLevelObjectives.length];
    for (int i = 0; i < boundaries.length; i++) {
      boundaries[i] = serviceLevelObjectives[i].toNanos();
    }
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(true)
        .serviceLevelObjectives(boundaries)
        .maximumExpectedValue((double) maximumExpected.toNanos())
        .build();
  }
}
