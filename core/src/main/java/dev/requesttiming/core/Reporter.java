package dev.requesttiming.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds slow-endpoint reports (DESIGN §7): at each report the endpoints' interval statistics are
 * drained, ranked by budget pressure and logged on {@code dev.requesttiming.report}.
 *
 * <p>Thread-safe: reports and snapshots take this reporter's lock, which request threads never
 * touch.
 */
final class Reporter implements Runnable {

  static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.report");

  /** Ranks by budget pressure, highest first; ties by count, highest first. */
  static final Comparator<EndpointReport> RANKING =
      Comparator.comparingDouble(EndpointReport::budgetPressure)
          .reversed()
          .thenComparing(Comparator.comparingLong(EndpointReport::count).reversed());

  private static final class Sums {
    final IntervalStats.Totals interval = new IntervalStats.Totals();
    final IntervalStats.Totals cumulative = new IntervalStats.Totals();
  }

  private final RequestTiming timing;
  private final Map<Endpoint, Sums> sums = new HashMap<>();
  private final Instant started;
  private Instant intervalStart;
  private volatile @Nullable Report lastReport;

  Reporter(RequestTiming timing) {
    this.timing = timing;
    this.started = now();
    this.intervalStart = started;
  }

  @Override
  public void run() {
    try {
      report();
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("the slow-endpoint report", e);
    }
  }

  /** Ends the interval: builds its report, logs it if there was traffic, and keeps it as the last. */
  synchronized @Nullable Report report() {
    drain();
    Instant end = now();
    List<EndpointReport> lines = new ArrayList<>();
    sums.forEach((endpoint, s) -> addLine(lines, endpoint, s.interval, intervalStart, end));
    sums.values().forEach(s -> s.interval.reset());
    Report report = ranked(lines, intervalStart, end, timing.config.reportTop());
    intervalStart = end;
    if (report.totalRequests() == 0) {
      return null;
    }
    lastReport = report;
    log(report);
    return report;
  }

  /** Everything since start, all endpoints, ranked; does not end the interval. */
  synchronized Report cumulative() {
    drain();
    Instant end = now();
    List<EndpointReport> lines = new ArrayList<>();
    sums.forEach((endpoint, s) -> addLine(lines, endpoint, s.cumulative, started, end));
    return ranked(lines, started, end, Integer.MAX_VALUE);
  }

  @Nullable Report lastReport() {
    return lastReport;
  }

  private void drain() {
    for (Endpoint endpoint : timing.endpoints.all()) {
      Sums s = sums.computeIfAbsent(endpoint, e -> new Sums());
      endpoint.stats.drainInto(s.interval, s.cumulative);
    }
  }

  private static Report ranked(List<EndpointReport> lines, Instant start, Instant end, int top) {
    lines.sort(RANKING);
    long total = lines.stream().mapToLong(EndpointReport::count).sum();
    return new Report(start, end, total, lines.size(), lines.subList(0, Math.min(top, lines.size())));
  }

  private void addLine(
      List<EndpointReport> lines, Endpoint endpoint, IntervalStats.Totals t, Instant start, Instant end) {
    if (t.isEmpty()) {
      return;
    }
    Histogram h = t.histogram;
    long count = h.getTotalCount();
    long p99 = h.getValueAtPercentile(99);
    double seconds = Math.max(Duration.between(start, end).toNanos() / 1e9, 1e-3);
    lines.add(
        new EndpointReport(
            endpoint.method.name(),
            endpoint.uri,
            count,
            count / seconds,
            count == 0 ? 0 : (double) t.errors / count,
            micros(Math.round(h.getMean())),
            micros(h.getValueAtPercentile(50)),
            micros(h.getValueAtPercentile(95)),
            micros(p99),
            micros(h.getMaxValue()),
            endpoint.budget,
            count > 0 ? p99 * 1000.0 / endpoint.budgetNanos : flaggedPressure(t.flags),
            t.flags));
  }

  /** The fraction of the budget that the highest level flagged stands for; 0 without flags. */
  private double flaggedPressure(long[] flags) {
    if (flags[FlagLevel.EXCEEDED.ordinal()] > 0) {
      return 1.0;
    }
    if (flags[FlagLevel.CRITICAL.ordinal()] > 0) {
      return timing.config.criticalAt();
    }
    return flags[FlagLevel.WARN.ordinal()] > 0 ? timing.config.warnAt() : 0;
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1000);
  }

  private Instant now() {
    return Instant.ofEpochMilli(timing.clock.wallTime());
  }

  private void log(Report report) {
    try {
      String text = timing.config.reportFormat() == ReportFormat.JSON ? report.toJson() : report.toString();
      LOG.atInfo()
          .addKeyValue("event", "slow_endpoint_report")
          .addKeyValue("total_requests", report.totalRequests())
          .log(text);
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("logging the slow-endpoint report", e);
    }
  }
}
