package dev.requesttiming.core.internal.report;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.Report;
import dev.requesttiming.core.RequestTimingConfig.ReportFormat;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.Parameters;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.engine.Admission;
import dev.requesttiming.core.internal.engine.Endpoint;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.engine.OldestRequests;
import dev.requesttiming.core.internal.engine.ShedReason;
import dev.requesttiming.core.internal.engine.Workers;
import dev.requesttiming.core.internal.stats.IntervalStats;
import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.Loggers;
import dev.requesttiming.core.internal.watchdog.BudgetFlags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Builds slow-endpoint reports: at each report the endpoints' interval statistics, peaks
 * in flight and stuck sites are drained, ranked by budget pressure and logged on {@code
 * dev.requesttiming.report}, with the requests still running past their warn level. Each interval
 * also ends the flag-line budget: {@link BudgetFlags#logSummaries} (once a minute when reports are
 * off, with no report logged).
 *
 * <p>Thread-safe: reports and snapshots take this reporter's lock, which request threads never
 * touch.
 */
public final class Reporter implements Runnable {

  static final Logger LOG = Loggers.REPORT;

  /** Ranks by budget pressure, highest first; ties by count, highest first. */
  static final Comparator<EndpointReport> RANKING =
      Comparator.comparingDouble(EndpointReport::budgetPressure)
          .reversed()
          .thenComparing(Comparator.comparingLong(EndpointReport::count).reversed());

  private static final class Sums {
    final IntervalStats.Totals interval = new IntervalStats.Totals();
    final IntervalStats.Totals cumulative = new IntervalStats.Totals();
  }

  /** Requests still running listed in a report. */
  public static final int TOP_RUNNING = 5;

  private final Engine engine;
  private final Settings settings;
  private final BudgetFlags flags;
  private final Map<Endpoint, Sums> sums = new HashMap<>();
  /** The queue times of the app's requests. */
  private final Sums queue = new Sums();
  /** The workers' saturated time of the intervals ended so far. */
  private long saturatedNanos;
  private final Instant started;
  private Instant intervalStart;
  private volatile @Nullable Report lastReport;

  public Reporter(Engine engine, BudgetFlags flags) {
    this.engine = engine;
    this.settings = engine.settings();
    this.flags = flags;
    this.started = now();
    this.intervalStart = started;
  }

  @Override
  public void run() {
    try {
      if (settings.reportInterval().isZero()) {
        summarizeOnly();
      } else {
        report();
      }
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("the slow-endpoint report", e);
    }
  }

  /**
   * Ends the interval: builds its report, logs it if there was traffic (or a request still running
   * past its warn level), keeps it as the last, and logs the flag summaries.
   */
  public synchronized @Nullable Report report() {
    drain();
    Instant end = now();
    Map<Endpoint, List<EndpointReport.Site>> sites = drainSites();
    List<EndpointReport> lines = new ArrayList<>();
    Set<Endpoint> refusing = refusingNow();
    sums.forEach(
        (endpoint, s) ->
            addLine(lines, endpoint, s.interval, intervalStart, end, endpoint.peakInFlight().take(),
                sites.getOrDefault(endpoint, List.of()), refusing));
    sums.values().forEach(s -> s.interval.reset());
    long saturated = engine.workers().takeSaturated();
    saturatedNanos += saturated;
    Report report =
        ranked(lines, intervalStart, end, settings.reportTop(), engine.peakInFlight().take(), saturated, queue.interval,
            TopWaits.of(sites.values(), engine.connectionPools()));
    queue.interval.reset();
    Instant start = intervalStart;
    intervalStart = end;
    Report result = null;
    if (report.totalRequests() > 0 || report.stillRunningCount() > 0) {
      lastReport = report;
      log(report);
      result = report;
    }
    flags.logSummaries(Duration.between(start, end), sites);
    return result;
  }

  /** With reports off: ends the interval of peaks, stuck sites and flag summaries, logging no report. */
  public synchronized void summarizeOnly() {
    Instant end = now();
    Map<Endpoint, List<EndpointReport.Site>> sites = drainSites();
    engine.endpoints().all().forEach(e -> e.peakInFlight().take());
    engine.peakInFlight().take();
    saturatedNanos += engine.workers().takeSaturated();
    engine.queueStats().drainInto(queue.interval, queue.cumulative);
    queue.interval.reset();
    Instant start = intervalStart;
    intervalStart = end;
    flags.logSummaries(Duration.between(start, end), sites);
  }

  private Map<Endpoint, List<EndpointReport.Site>> drainSites() {
    Map<Endpoint, List<EndpointReport.Site>> sites = new HashMap<>();
    for (Endpoint endpoint : engine.endpoints().all()) {
      List<EndpointReport.Site> top = endpoint.stuck().drain(settings.get(Parameters.REPORT_SITES));
      if (!top.isEmpty()) {
        sites.put(endpoint, top);
      }
    }
    return sites;
  }

  /** Everything since start, all endpoints, ranked; does not end the interval. */
  public synchronized Report cumulative() {
    drain();
    Instant end = now();
    List<EndpointReport> lines = new ArrayList<>();
    Set<Endpoint> refusing = refusingNow();
    sums.forEach(
        (endpoint, s) ->
            addLine(lines, endpoint, s.cumulative, started, end, endpoint.peakInFlight().read(), List.of(), refusing));
    return ranked(lines, started, end, Integer.MAX_VALUE, engine.peakInFlight().read(),
        saturatedNanos + engine.workers().saturatedSoFar(), queue.cumulative, List.of());
  }

  public @Nullable Report lastReport() {
    return lastReport;
  }

  private void drain() {
    for (Endpoint endpoint : engine.endpoints().all()) {
      Sums s = sums.computeIfAbsent(endpoint, e -> new Sums());
      endpoint.stats().drainInto(s.interval, s.cumulative);
    }
    engine.queueStats().drainInto(queue.interval, queue.cumulative);
  }

  private Report ranked(
      List<EndpointReport> lines, Instant start, Instant end, int top, int peakInFlight, long saturated,
      IntervalStats.Totals queueTimes, List<EndpointReport.Site> topWaits) {
    lines.sort(RANKING);
    long total = lines.stream().mapToLong(EndpointReport::count).sum();
    StillRunning still = new StillRunning(engine.clock().monotonicTime());
    engine.inFlight().forEach(still::consider);
    List<Report.Running> running = still.oldest();
    Workers workers = engine.workers();
    return new TakenReport(
        start, end, total, lines.size(), lines.subList(0, Math.min(top, lines.size())), peakInFlight,
        still.count(), running,
        new Report.Workers(workers.limit(), workers.source(), Duration.ofNanos(saturated)),
        queueTimes.count == 0 ? null
            : new Report.QueueTimes(queueTimes.count, micros(queueTimes.percentileMicros(50)),
                micros(queueTimes.percentileMicros(99)), micros(queueTimes.maxMicros())),
        topWaits);
  }

  /**
   * The requests still running past their warn level: how many, and the {@value #TOP_RUNNING}
   * oldest, kept in a small heap so that only those are described (with 10,000 stuck requests, a
   * report describes five). Thread-safe reads of live requests.
   */
  private final class StillRunning {
    private final long now;
    private final long earliestWarn = settings.threshold(FlagLevel.WARN, settings.endpointBudgets().smallest().toNanos());
    private final OldestRequests oldest = new OldestRequests(TOP_RUNNING);

    StillRunning(long now) {
      this.now = now;
    }

    void consider(InFlightRequest request) {
      try {
        long age = now - request.startNanos();
        boolean young = age < earliestWarn && age < settings.threshold(FlagLevel.WARN, request.budgetCapNanos());
        if (young || request.isFinished() || age < settings.threshold(FlagLevel.WARN, engine.budgetNanos(request))) {
          return;
        }
        oldest.offer(request);
      } catch (RuntimeException | LinkageError e) {
        engine.failOpen().failed("listing a running request", e);
      }
    }

    /** How many run past their warn level. */
    int count() {
      return oldest.offered();
    }

    /** The oldest, described, the oldest first. */
    List<Report.Running> oldest() {
      List<Report.Running> running = new ArrayList<>();
      for (InFlightRequest request : oldest.oldestFirst()) {
        try {
          running.add(new Report.Running(
              request.method().name(), engine.runningName(request).uri(), request.id(),
              Duration.ofNanos(Math.max(0, now - request.startNanos())), Duration.ofNanos(engine.budgetNanos(request)),
              BudgetFlags.threadName(request.thread())));
        } catch (RuntimeException | LinkageError e) {
          engine.failOpen().failed("listing a running request", e);
        }
      }
      return running;
    }
  }

  private void addLine(
      List<EndpointReport> lines,
      Endpoint endpoint,
      IntervalStats.Totals t,
      Instant start,
      Instant end,
      int peakInFlight,
      List<EndpointReport.Site> stuckAt,
      Set<Endpoint> refusing) {
    if (t.isEmpty()) {
      return;
    }
    long count = t.count;
    long p99 = t.percentileMicros(99);
    double seconds = Math.max(Duration.between(start, end).toNanos() / 1e9, 1e-3);
    lines.add(
        new EndpointLine(
            endpoint.method().name(),
            endpoint.uri(),
            count,
            count / seconds,
            count == 0 ? 0 : (double) t.errors / count,
            micros(t.meanMicros()),
            micros(t.percentileMicros(50)),
            micros(t.percentileMicros(95)),
            micros(p99),
            micros(t.maxMicros()),
            endpoint.budget(),
            count > 0 ? p99 * 1000.0 / endpoint.budgetNanos() : flaggedPressure(t.flags),
            t.flags[FlagLevel.WARN.ordinal()],
            t.flags[FlagLevel.CRITICAL.ordinal()],
            t.flags[FlagLevel.EXCEEDED.ordinal()],
            t.shed(),
            shedByReason(t),
            refusing.contains(endpoint),
            t.outcomes[IntervalStats.ABANDONED],
            peakInFlight,
            stuckAt));
  }

  /** The endpoints admission control refuses now; none without it. */
  private Set<Endpoint> refusingNow() {
    Admission admission = engine.admission();
    return admission == null ? Set.of() : admission.refusing(engine.clock().monotonicTime());
  }

  private static Map<String, Long> shedByReason(IntervalStats.Totals t) {
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (ShedReason reason : ShedReason.ALL) {
      long n = t.outcomes[IntervalStats.SHED + reason.ordinal()];
      if (n > 0) {
        byReason.put(reason.tag(), n);
      }
    }
    return byReason;
  }

  /** The fraction of the budget that the highest level flagged stands for; 0 without flags. */
  private double flaggedPressure(long[] flags) {
    if (flags[FlagLevel.EXCEEDED.ordinal()] > 0) {
      return 1.0;
    }
    if (flags[FlagLevel.CRITICAL.ordinal()] > 0) {
      return settings.criticalAt();
    }
    return flags[FlagLevel.WARN.ordinal()] > 0 ? settings.warnAt() : 0;
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1000);
  }

  private Instant now() {
    return Instant.ofEpochMilli(engine.clock().wallTime());
  }

  private void log(Report report) {
    try {
      String text = settings.reportFormat() == ReportFormat.JSON ? report.toJson() : report.toString();
      LogEvent.info(LOG)
          .addKeyValue("event", "slow_endpoint_report")
          .addKeyValue("total_requests", report.totalRequests())
          .log(text);
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("logging the slow-endpoint report", e);
    }
  }
}
