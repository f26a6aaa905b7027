package dev.requesttiming.core;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.TreeSet;

/**
 * The distribution the request timer must publish for the shipped Prometheus rules and dashboards
 * (DESIGN §6), one place for our own timer and for a timer another instrumentation records
 * (through {@link RequestTimingMeterFilter}).
 *
 * <ul>
 *   <li>Spring Boot's names: a percentile histogram reaching at least twice the largest budget, and
 *       bucket boundaries at the default budget's warn and critical levels, at 1× and at 2×.
 *   <li>OpenTelemetry's names: OpenTelemetry's explicit bucket advice for {@code
 *       http.server.request.duration} (5 ms to 10 s), extended by the same budget boundaries and by
 *       twice the largest budget, so that the budget levels and requests past 10 s are visible.
 * </ul>
 */
final class RequestsHistogram {

  private static final Duration SMALLEST_MAXIMUM = Duration.ofSeconds(30);
  /** The semantic conventions' bucket advice for http.server.request.duration, in seconds. */
  private static final double[] OTEL_ADVICE = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10};

  private final boolean percentileHistogram;
  private final Duration[] boundaries;
  private final Duration maximumExpected;

  RequestsHistogram(RequestTimingConfig config) {
    Duration budget = config.budget();
    Duration[] budgetLevels = {
      scaled(budget, config.warnAt()), scaled(budget, config.criticalAt()), budget, budget.multipliedBy(2)
    };
    Duration twiceLargest = config.endpointBudgets().largest().multipliedBy(2);
    this.maximumExpected = twiceLargest.compareTo(SMALLEST_MAXIMUM) > 0 ? twiceLargest : SMALLEST_MAXIMUM;
    this.percentileHistogram = config.metricNames() == MetricNames.SPRING;
    if (percentileHistogram) {
      this.boundaries = budgetLevels;
    } else {
      TreeSet<Duration> all = new TreeSet<>(Arrays.asList(budgetLevels));
      for (double seconds : OTEL_ADVICE) {
        all.add(Duration.ofNanos(Math.round(seconds * 1e9)));
      }
      all.add(twiceLargest);
      this.boundaries = all.toArray(new Duration[0]);
    }
  }

  private static Duration scaled(Duration d, double fraction) {
    return Duration.ofNanos(Math.round(d.toNanos() * fraction));
  }

  Timer.Builder applyTo(Timer.Builder timer) {
    return timer
        .publishPercentileHistogram(percentileHistogram)
        .serviceLevelObjectives(boundaries)
        .maximumExpectedValue(maximumExpected);
  }

  /** The same settings for a timer built elsewhere (a timer's values are in nanoseconds). */
  DistributionStatisticConfig distribution() {
    double[] nanos = new double[boundaries.length];
    for (int i = 0; i < nanos.length; i++) {
      nanos[i] = boundaries[i].toNanos();
    }
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(percentileHistogram)
        .serviceLevelObjectives(nanos)
        .maximumExpectedValue((double) maximumExpected.toNanos())
        .build();
  }
}
