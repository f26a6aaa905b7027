package dev.requesttiming.core.internal.metrics;

import dev.requesttiming.core.RequestTimingConfig.Histogram;
import dev.requesttiming.core.RequestTimingMeterFilter;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.util.Durations;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The distribution the request timer publishes (parameter {@code histogram}), one place
 * for our own timer, for the timer published to Prometheus directly (which learns it from a probe),
 * and for a timer another instrumentation records (through {@link RequestTimingMeterFilter}).
 *
 * <ul>
 *   <li>{@code compact} (default): about 15 to 22 boundaries derived from the budgets. Below the warn
 *       level of the default budget, OpenTelemetry's advice for {@code http.server.request.duration}
 *       (1, 2.5, 5 and 7.5 of each decade), from 5 ms, or a thousandth of a budget under 5 s; then the
 *       budget's warn and critical levels, 1×, 1.5×, 2× and 4×; and the largest endpoint budget, 1×
 *       and 2×. Every level the rules and dashboards ask about is a boundary, so counting requests
 *       over a level is exact, and a series costs under a third of the detailed one.
 *   <li>{@code detailed}: Micrometer's percentile histogram (about 70 boundaries from 1 ms) reaching
 *       at least twice the largest budget, plus the same budget levels.
 * </ul>
 */
public final class RequestsHistogram {

  private static final Duration SMALLEST_MAXIMUM = Duration.ofSeconds(30);
  private static final Duration LADDER_START = Duration.ofMillis(5);
  private static final double[] LADDER_STEPS = {1, 2.5, 5, 7.5};

  private final Histogram kind;
  /** Every boundary, ascending, with what it stands for ("warn", "2× budget"; empty for the ladder). */
  private final TreeMap<Duration, String> boundaries = new TreeMap<>();
  private final Duration maximumExpected;

  public RequestsHistogram(Settings settings) {
    this.kind = settings.histogram();
    Duration budget = settings.budget();
    Duration largest = settings.endpointBudgets().largest();
    Duration warn = scaled(budget, settings.warnAt());
    if (kind == Histogram.COMPACT) {
      addLadder(budget, warn);
    }
    boundaries.put(warn, "warn");
    boundaries.put(scaled(budget, settings.criticalAt()), "critical");
    boundaries.put(budget, "budget");
    boundaries.put(scaled(budget, 1.5), "1.5× budget");
    boundaries.put(budget.multipliedBy(2), "2× budget");
    boundaries.put(budget.multipliedBy(4), "4× budget");
    if (largest.compareTo(budget) > 0) {
      boundaries.putIfAbsent(largest, "largest budget");
      boundaries.putIfAbsent(largest.multipliedBy(2), "2× largest budget");
    }
    Duration twiceLargest = largest.multipliedBy(2);
    this.maximumExpected = twiceLargest.compareTo(SMALLEST_MAXIMUM) > 0 ? twiceLargest : SMALLEST_MAXIMUM;
  }

  /** 1, 2.5, 5 and 7.5 of each decade from 5 ms (a thousandth of a budget under 5 s) up to the warn level. */
  private void addLadder(Duration budget, Duration below) {
    Duration thousandth = budget.dividedBy(1000);
    long from = (thousandth.compareTo(LADDER_START) < 0 ? thousandth : LADDER_START).toNanos();
    for (long decade = 1; decade <= below.toNanos(); decade *= 10) {
      for (double step : LADDER_STEPS) {
        long nanos = Math.round(decade * step);
        if (nanos >= from && nanos < below.toNanos()) {
          boundaries.put(Duration.ofNanos(nanos), "");
        }
      }
    }
  }

  private static Duration scaled(Duration d, double fraction) {
    return Duration.ofNanos(Math.round(d.toNanos() * fraction));
  }

  Timer.Builder applyTo(Timer.Builder timer) {
    return timer
        .publishPercentileHistogram(kind == Histogram.DETAILED)
        .serviceLevelObjectives(boundaries.keySet().toArray(new Duration[0]))
        .maximumExpectedValue(maximumExpected);
  }

  /** The same settings for a timer built elsewhere (a timer's values are in nanoseconds). */
  public DistributionStatisticConfig distribution() {
    return DistributionStatisticConfig.builder()
        .percentilesHistogram(kind == Histogram.DETAILED)
        .serviceLevelObjectives(boundaries.keySet().stream().mapToDouble(Duration::toNanos).toArray())
        .maximumExpectedValue((double) maximumExpected.toNanos())
        .build();
  }

  /**
   * For the start-up log: {@code "compact, 19 boundaries: 5ms 7.5ms … 10s, 15s (warn), 24s (critical),
   * 30s (budget), 1m (2× budget)"}, or the detailed histogram's reach.
   */
  public String describe() {
    if (kind == Histogram.DETAILED) {
      return "detailed: Micrometer's percentile histogram (about 70 boundaries) up to "
          + Durations.duration(maximumExpected) + ", and " + levels();
    }
    List<String> ladder = new ArrayList<>();
    boundaries.forEach((d, what) -> {
      if (what.isEmpty()) {
        ladder.add(Durations.duration(d));
      }
    });
    String below = ladder.isEmpty() ? "" : String.join(" ", ladder) + ", ";
    return "compact, " + boundaries.size() + " boundaries: " + below + levels();
  }

  private String levels() {
    List<String> levels = new ArrayList<>();
    boundaries.forEach((d, what) -> {
      if (!what.isEmpty()) {
        levels.add(Durations.duration(d) + " (" + what + ")");
      }
    });
    return String.join(", ", levels);
  }

  /** How many boundaries a series has below {@code +Inf} (the compact ones; detailed adds Micrometer's). */
  int boundaryCount() {
    return boundaries.size();
  }
}
