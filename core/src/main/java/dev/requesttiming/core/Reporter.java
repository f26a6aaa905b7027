package dev.requesttiming.core;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds slow-endpoint reports (DESIGN §7): at each report the endpoints' interval statistics, peaks
 * in flight and stuck sites are drained, ranked by budget pressure and logged on {@code
 * dev.requesttiming.report}, with the requests still running past their warn level. Each interval
 * also ends the flag-line budget: {@link BudgetFlags#logSummaries} (once a minute when reports are
 * off, with no report logged).
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

  /** Stuck sites listed per endpoint in a report. */
  static final int TOP_SITES = 3;
  /** Requests still running listed in a report. */
  static final int TOP_RUNNING = 5;

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
      if (timing.config.reportInterval().isZero()) {
        summarizeOnly();
      } else {
        report();
      }
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("the slow-endpoint report", e);
    }
  }

  /**
   * Ends the interval: builds its report, logs it if there was traffic (or a request still running
   * past its warn level), keeps it as the last, and logs the flag summaries.
   */
  synchronized @Nullable Report report() {
    drain();
    Instant end = now();
    Map<Endpoint, List<EndpointReport.Site>> sites = drainSites();
    List<EndpointReport> lines = new ArrayList<>();
    sums.forEach(
        (endpoint, s) ->
            addLine(lines, endpoint, s.interval, intervalStart, end, endpoint.peakInFlight.getAndSet(0),
                sites.getOrDefault(endpoint, List.of())));
    sums.values().forEach(s -> s.interval.reset());
    Report report = ranked(lines, intervalStart, end, timing.config.reportTop(), timing.peakInFlight.getAndSet(0));
    Instant start = intervalStart;
    intervalStart = end;
    Report result = null;
    if (report.totalRequests() > 0 || report.stillRunningCount() > 0) {
      lastReport = report;
      log(report);
      result = report;
    }
    timing.flags.logSummaries(Duration.between(start, end), sites);
    return result;
  }

  /** With reports off: ends the interval of peaks, stuck sites and flag summaries, logging no report. */
  synchronized void summarizeOnly() {
    Instant end = now();
    Map<Endpoint, List<EndpointReport.Site>> sites = drainSites();
    timing.endpoints.all().forEach(e -> e.peakInFlight.set(0));
    timing.peakInFlight.set(0);
    Instant start = intervalStart;
    intervalStart = end;
    timing.flags.logSummaries(Duration.between(start, end), sites);
  }

  private Map<Endpoint, List<EndpointReport.Site>> drainSites() {
    Map<Endpoint, List<EndpointReport.Site>> sites = new HashMap<>();
    for (Endpoint endpoint : timing.endpoints.all()) {
      List<EndpointReport.Site> top = endpoint.stuck.drain(TOP_SITES);
      if (!top.isEmpty()) {
        sites.put(endpoint, top);
      }
    }
    return sites;
  }

  /** Everything since start, all endpoints, ranked; does not end the interval. */
  synchronized Report cumulative() {
    drain();
    Instant end = now();
    List<EndpointReport> lines = new ArrayList<>();
    sums.forEach(
        (endpoint, s) ->
            addLine(lines, endpoint, s.cumulative, started, end, endpoint.peakInFlight.get(), List.of()));
    return ranked(lines, started, end, Integer.MAX_VALUE, timing.peakInFlight.get());
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

  private Report ranked(List<EndpointReport> lines, Instant start, Instant end, int top, int peakInFlight) {
    lines.sort(RANKING);
    long total = lines.stream().mapToLong(EndpointReport::count).sum();
    List<Report.Running> running = new ArrayList<>();
    int[] count = {0};
    timing.inFlight.forEach(request -> collectRunning(request, running, count));
    running.sort(Comparator.comparing(Report.Running::age).reversed());
    return new Report(
        start, end, total, lines.size(), lines.subList(0, Math.min(top, lines.size())), peakInFlight,
        count[0], running.subList(0, Math.min(TOP_RUNNING, running.size())));
  }

  /** Adds a request still running past its warn level; a thread-safe read of a live request. */
  private void collectRunning(RequestBudget request, List<Report.Running> running, int[] count) {
    try {
      long age = timing.clock.monotonicTime() - request.startNanos;
      long budget = timing.budgetNanos(request);
      if (request.isFinished() || age < timing.flags.threshold(FlagLevel.WARN, budget)) {
        return;
      }
      count[0]++;
      running.add(
          new Report.Running(
              request.method.name(), timing.runningName(request).uri(), request.id(), Duration.ofNanos(age),
              Duration.ofNanos(budget), BudgetFlags.threadName(request.thread)));
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("listing a running request", e);
    }
  }

  private void addLine(
      List<EndpointReport> lines,
      Endpoint endpoint,
      IntervalStats.Totals t,
      Instant start,
      Instant end,
      int peakInFlight,
      List<EndpointReport.Site> stuckAt) {
    if (t.isEmpty()) {
      return;
    }
    long count = t.count;
    long p99 = t.percentileMicros(99);
    double seconds = Math.max(Duration.between(start, end).toNanos() / 1e9, 1e-3);
    lines.add(
        new EndpointReport(
            endpoint.method.name(),
            endpoint.uri,
            count,
            count / seconds,
            count == 0 ? 0 : (double) t.errors / count,
            micros(t.meanMicros()),
            micros(t.percentileMicros(50)),
            micros(t.percentileMicros(95)),
            micros(p99),
            micros(t.maxMicros()),
            endpoint.budget,
            count > 0 ? p99 * 1000.0 / endpoint.budgetNanos : flaggedPressure(t.flags),
            t.flags,
            peakInFlight,
            stuckAt));
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
