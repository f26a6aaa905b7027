package dev.requesttiming.core.internal.live;

import dev.requesttiming.core.Report;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.FillHistory;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.engine.OldestRequests;
import dev.requesttiming.core.internal.engine.RealDownstreamCall;
import dev.requesttiming.core.internal.engine.RecentRequests;
import dev.requesttiming.core.internal.engine.Workers;
import dev.requesttiming.core.internal.report.ReportText;
import dev.requesttiming.core.internal.report.Reporter;
import dev.requesttiming.core.internal.util.Json;
import dev.requesttiming.core.internal.watchdog.BudgetFlags;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The live view's JSON (schema {@value #SCHEMA}, documented in docs/live-view.md): the oldest requests in
 * flight with their age against their budget, level, stuck site, downstream call and trace id; the
 * latest requests that passed warn; the workers' fill and queue time over the last minutes; the
 * latest report and the one since start. Never a query string, header, cookie or body: paths are
 * the endpoints' names.
 *
 * <p>Thread-safe; it reads live requests as the watchdog does. Its cost is one pass over the requests
 * in flight, keeping the oldest {@code maxRunning} in a heap, plus the reports.
 */
public final class LiveSnapshot {

  public static final String SCHEMA = "request-timing.live/1";
  /** The most requests in flight a snapshot lists. */
  public static final int MAX_RUNNING = 1_000;

  private final Engine engine;
  private final Settings settings;
  private final Reporter reporter;

  public LiveSnapshot(Engine engine, Reporter reporter) {
    this.engine = engine;
    this.settings = engine.settings();
    this.reporter = reporter;
  }

  /** The snapshot as one JSON object, with at most {@code maxRunning} requests in flight, the oldest. */
  public String json(int maxRunning) {
    int limit = Math.max(0, Math.min(MAX_RUNNING, maxRunning));
    long now = engine.clock().monotonicTime();
    OldestRequests oldest = new OldestRequests(limit);
    engine.inFlight().forEach(request -> {
      if (!request.isFinished()) {
        oldest.offer(request);
      }
    });
    List<InFlightRequest> running = oldest.oldestFirst();

    StringBuilder out = new StringBuilder(1024 + 400 * running.size());
    out.append("{\"schema\":\"").append(SCHEMA)
        .append("\",\"time\":\"").append(Instant.ofEpochMilli(engine.clock().wallTime()))
        .append("\",\"budget_ms\":").append(settings.budget().toMillis())
        .append(",\"warn_at\":").append(Json.number(settings.warnAt(), 3))
        .append(",\"critical_at\":").append(Json.number(settings.criticalAt(), 3))
        .append(",\"in_flight_count\":").append(oldest.offered())
        .append(",\"in_flight\":[");
    for (int i = 0; i < running.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      running(out, running.get(i), now);
    }
    out.append("],\"recent\":[");
    List<RecentRequests.Entry> recent = engine.recent().latest();
    for (int i = 0; i < recent.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      recent(out, recent.get(i));
    }
    out.append("],\"workers\":");
    workers(out);
    Report latest = reporter.lastReport();
    out.append(",\"report\":").append(latest == null ? "null" : ReportText.json(latest));
    out.append(",\"since_start\":").append(ReportText.json(reporter.cumulative()));
    return out.append('}').toString();
  }

  private void running(StringBuilder out, InFlightRequest request, long now) {
    long age = Math.max(0, now - request.startNanos());
    long budget = engine.budgetNanos(request);
    out.append("{\"id\":");
    Json.string(out, request.id());
    out.append(",\"method\":");
    Json.string(out, request.method().name());
    out.append(",\"uri\":");
    Json.string(out, engine.runningName(request).uri());
    out.append(",\"age_ms\":").append(age / 1_000_000)
        .append(",\"budget_ms\":").append(budget / 1_000_000)
        .append(",\"share\":").append(Json.number(budget > 0 ? (double) age / budget : 0, 3))
        .append(",\"level\":\"").append(level(settings.levelAt(age, budget)))
        .append("\",\"queue_ms\":").append(request.queueNanos() / 1_000_000)
        .append(",\"thread\":");
    Json.string(out, BudgetFlags.threadName(request.thread()));
    out.append(",\"stuck_at\":");
    nullable(out, request.stuckAt());
    RealDownstreamCall call = engine.downstreamCalls().of(request);
    out.append(",\"downstream\":");
    if (call == null) {
      out.append("null");
    } else {
      out.append("{\"call\":");
      Json.string(out, call.target());
      out.append(",\"waited_ms\":").append(Math.max(0, now - call.startNanos()) / 1_000_000).append('}');
    }
    out.append(",\"trace_id\":");
    nullable(out, engine.logContext().first(request.logContext()));
    out.append('}');
  }

  private static void recent(StringBuilder out, RecentRequests.Entry e) {
    out.append("{\"id\":");
    Json.string(out, e.id());
    out.append(",\"method\":");
    Json.string(out, e.method());
    out.append(",\"uri\":");
    Json.string(out, e.uri());
    out.append(",\"ended_at\":\"").append(Instant.ofEpochMilli(e.endedAtMillis()))
        .append("\",\"duration_ms\":").append(e.durationNanos() / 1_000_000)
        .append(",\"budget_ms\":").append(e.budgetNanos() / 1_000_000)
        .append(",\"share\":").append(Json.number(e.budgetNanos() > 0 ? (double) e.durationNanos() / e.budgetNanos() : 0, 3))
        .append(",\"queue_ms\":").append(e.queueNanos() / 1_000_000)
        .append(",\"status\":").append(e.status())
        .append(",\"level\":\"").append(level(e.level()))
        .append("\",\"abandoned\":").append(e.abandoned())
        .append(",\"stuck_at\":");
    nullable(out, e.stuckAt());
    out.append(",\"trace_id\":");
    nullable(out, e.traceId());
    out.append('}');
  }

  private void workers(StringBuilder out) {
    Workers workers = engine.workers();
    out.append("{\"limit\":").append(workers.limit())
        .append(",\"source\":");
    Json.string(out, workers.source());
    out.append(",\"busy\":").append(workers.busy())
        .append(",\"saturated_from\":").append(workers.limit() > 0 ? workers.saturatedFrom() : 0)
        .append(",\"history\":[");
    List<FillHistory.Slot> slots = workers.history().slots();
    for (int i = 0; i < slots.size(); i++) {
      FillHistory.Slot slot = slots.get(i);
      out.append(i == 0 ? "{\"t\":" : ",{\"t\":").append(slot.startMillis())
          .append(",\"busy\":").append(slot.busy())
          .append(",\"queue_ms\":").append(slot.queueMillis() < 0 ? "null" : Long.toString(slot.queueMillis()))
          .append('}');
    }
    out.append("]}");
  }

  private static String level(@Nullable FlagLevel level) {
    return level == null ? "ok" : level.text();
  }

  private static void nullable(StringBuilder out, @Nullable String value) {
    if (value == null) {
      out.append("null");
    } else {
      Json.string(out, value);
    }
  }
}
