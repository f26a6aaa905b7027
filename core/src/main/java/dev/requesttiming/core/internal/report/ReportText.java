package dev.requesttiming.core.internal.report;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.Report;
import dev.requesttiming.core.internal.engine.ShedReason;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.Json;
import dev.requesttiming.core.internal.util.Percent;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Writes a {@link Report} as an aligned table or as one JSON object. */
public final class ReportText {

  private static final String[] HEADER = {
    "endpoint", "count", "req/s", "peak", "err%", "avg", "p50", "p95", "p99", "max", "budget", "p99/budget", "flags w/c/e"
  };

  private ReportText() {}

  public static String table(Report report) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (EndpointReport e : report.endpoints()) {
      rows.add(
          new String[] {
            e.toString(),
            Long.toString(e.count()),
            String.format(Locale.ROOT, "%.2f", e.ratePerSecond()),
            Integer.toString(e.peakInFlight()),
            String.format(Locale.ROOT, "%.1f%%", e.errorRatio() * 100),
            Durations.latency(e.avg()),
            Durations.latency(e.p50()),
            Durations.latency(e.p95()),
            Durations.latency(e.p99()),
            Durations.latency(e.max()),
            Durations.duration(e.budget()),
            pressure(e.budgetPressure()),
            e.warnFlags() + "/" + e.criticalFlags() + "/" + e.exceededFlags()
          });
    }
    int[] widths = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("slow endpoints from ")
        .append(report.start())
        .append(" to ")
        .append(report.end())
        .append(" (")
        .append(Durations.duration(Duration.between(report.start(), report.end())))
        .append("): ")
        .append(report.totalRequests())
        .append(" requests on ")
        .append(report.endpointCount())
        .append(" endpoints, ranked by p99 / budget; peak ")
        .append(report.peakInFlight())
        .append(" in flight at once")
        .append(workersAndQueue(report));
    if (!report.topWaits().isEmpty()) {
      out.append("\nslow requests waited, all endpoints:");
      String sep = " ";
      for (EndpointReport.Site wait : report.topWaits()) {
        out.append(sep).append(Percent.share(wait.share())).append(' ').append(wait.site());
        sep = "; ";
      }
    }
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      out.append('\n');
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        if (i == 0) {
          line.append(row[i]).append(" ".repeat(widths[i] - row[i].length()));
        } else {
          line.append("  ").append(" ".repeat(widths[i] - row[i].length())).append(row[i]);
        }
      }
      out.append(line.toString().stripTrailing());
      if (r > 0) {
        EndpointReport e = report.endpoints().get(r - 1);
        if (e.shed() > 0 || e.refusedNow()) {
          out.append("\n    ").append(e.shed()).append(" shed unrun (503)");
          String sep = ": ";
          for (Map.Entry<String, Long> count : e.shedByReason().entrySet()) {
            ShedReason reason = ShedReason.ofTag(count.getKey());
            out.append(sep).append(count.getValue()).append(' ').append(count.getKey())
                .append(reason == null ? "" : " (" + reason.whyOfMany() + ")");
            sep = ", ";
          }
          if (e.refusedNow()) {
            out.append("; refused now");
          }
        }
        if (e.abandoned() > 0) {
          out.append("\n    ").append(e.abandoned())
              .append(" abandoned: their client or proxy had given up before the answer, whatever the status");
        }
        for (EndpointReport.Site site : e.stuckAt()) {
          out.append("\n    stuck at ")
              .append(site.site())
              .append(": ")
              .append(site.samples())
              .append(site.samples() == 1 ? " sample (" : " samples (")
              .append(Percent.share(site.share()))
              .append(')');
        }
      }
    }
    int leftOut = report.endpointCount() - report.endpoints().size();
    if (leftOut > 0) {
      long listed = report.endpoints().stream().mapToLong(EndpointReport::count).sum();
      out.append("\n(")
          .append(leftOut)
          .append(" more endpoints with ")
          .append(report.totalRequests() - listed)
          .append(" requests not shown)");
    }
    if (report.stillRunningCount() > 0) {
      out.append("\nstill running past their warn level: ").append(report.stillRunningCount());
      for (Report.Running running : report.stillRunning()) {
        out.append("\n    ")
            .append(running.method()).append(' ').append(running.uri())
            .append(" for ").append(Durations.latency(running.age()))
            .append(" (").append(pressure(running.age().toNanos() / (double) running.budget().toNanos()))
            .append(" of its ").append(Durations.duration(running.budget())).append(" budget)")
            .append(" id=").append(running.id())
            .append(" thread=").append(running.thread());
      }
    }
    return out.toString();
  }

  /** {@code "; workers: peak 12/12 busy, saturated 18.4s of 20s; queue p50 1.9s p99 4.8s max 5.2s"}, or empty. */
  private static String workersAndQueue(Report report) {
    StringBuilder out = new StringBuilder();
    Report.Workers workers = report.workers();
    if (workers.limit() > 0) {
      out.append("; workers: peak ").append(report.peakInFlight()).append('/').append(workers.limit()).append(" busy, ");
      if (workers.saturated().isZero()) {
        out.append("never saturated");
      } else {
        out.append("saturated ").append(Durations.latency(workers.saturated()))
            .append(" of ").append(Durations.latency(Duration.between(report.start(), report.end())));
      }
    } else if (workers.limit() < 0) {
      out.append("; workers: no pool (").append(workers.source()).append(')');
    }
    Report.QueueTimes queue = report.queue();
    if (queue != null) {
      out.append("; queue p50 ").append(Durations.latency(queue.p50()))
          .append(" p99 ").append(Durations.latency(queue.p99()))
          .append(" max ").append(Durations.latency(queue.max()));
    }
    return out.toString();
  }

  private static String pressure(double ratio) {
    double percent = ratio * 100;
    return percent < 10 ? String.format(Locale.ROOT, "%.1f%%", percent) : Math.round(percent) + "%";
  }

  public static String json(Report report) {
    StringBuilder out = new StringBuilder(256 + 320 * report.endpoints().size());
    out.append("{\"interval_start\":\"").append(report.start())
        .append("\",\"interval_end\":\"").append(report.end())
        .append("\",\"total_requests\":").append(report.totalRequests())
        .append(",\"endpoint_count\":").append(report.endpointCount())
        .append(",\"peak_in_flight\":").append(report.peakInFlight());
    if (!report.topWaits().isEmpty()) {
      out.append(",\"top_waits\":");
      sites(out, "wait", report.topWaits());
    }
    out.append(",\"endpoints\":[");
    boolean first = true;
    for (EndpointReport e : report.endpoints()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"method\":");
      Json.string(out, e.method());
      out.append(",\"uri\":");
      Json.string(out, e.uri());
      out.append(",\"count\":").append(e.count())
          .append(",\"rate_per_s\":").append(Json.number(e.ratePerSecond(), 3))
          .append(",\"error_ratio\":").append(Json.number(e.errorRatio(), 4))
          .append(",\"avg_ms\":").append(Json.millis(e.avg()))
          .append(",\"p50_ms\":").append(Json.millis(e.p50()))
          .append(",\"p95_ms\":").append(Json.millis(e.p95()))
          .append(",\"p99_ms\":").append(Json.millis(e.p99()))
          .append(",\"max_ms\":").append(Json.millis(e.max()))
          .append(",\"budget_ms\":").append(Json.millis(e.budget()))
          .append(",\"budget_pressure\":").append(Json.number(e.budgetPressure(), 3))
          .append(",\"flags\":{\"warn\":").append(e.warnFlags())
          .append(",\"critical\":").append(e.criticalFlags())
          .append(",\"exceeded\":").append(e.exceededFlags())
          .append('}');
      if (e.shed() > 0 || e.abandoned() > 0 || e.refusedNow()) {
        out.append(",\"shed\":").append(e.shed()).append(",\"shed_by_reason\":{");
        String sep = "";
        for (Map.Entry<String, Long> reason : e.shedByReason().entrySet()) {
          out.append(sep).append('"').append(reason.getKey()).append("\":").append(reason.getValue());
          sep = ",";
        }
        out.append("},\"refused_now\":").append(e.refusedNow()).append(",\"abandoned\":").append(e.abandoned());
      }
      out.append(",\"peak_in_flight\":").append(e.peakInFlight()).append(",\"stuck_at\":");
      sites(out, "site", e.stuckAt());
      out.append('}');
    }
    out.append(']');
    Report.Workers workers = report.workers();
    if (workers.limit() != 0) {
      out.append(",\"workers\":{\"limit\":").append(workers.limit()).append(",\"source\":");
      Json.string(out, workers.source());
      out.append(",\"saturated_ms\":").append(Json.millis(workers.saturated())).append('}');
    }
    Report.QueueTimes queue = report.queue();
    if (queue != null) {
      out.append(",\"queue\":{\"count\":").append(queue.count())
          .append(",\"p50_ms\":").append(Json.millis(queue.p50()))
          .append(",\"p99_ms\":").append(Json.millis(queue.p99()))
          .append(",\"max_ms\":").append(Json.millis(queue.max())).append('}');
    }
    out.append(",\"still_running_count\":").append(report.stillRunningCount()).append(",\"still_running\":[");
    for (int i = 0; i < report.stillRunning().size(); i++) {
      Report.Running running = report.stillRunning().get(i);
      out.append(i == 0 ? "{\"method\":" : ",{\"method\":");
      Json.string(out, running.method());
      out.append(",\"uri\":");
      Json.string(out, running.uri());
      out.append(",\"id\":");
      Json.string(out, running.id());
      out.append(",\"age_ms\":").append(Json.millis(running.age()))
          .append(",\"budget_ms\":").append(Json.millis(running.budget()))
          .append(",\"thread\":");
      Json.string(out, running.thread());
      out.append('}');
    }
    return out.append("]}").toString();
  }

  /** Sites (or waits) with their samples and share, as a JSON array of objects naming each by {@code key}. */
  private static void sites(StringBuilder out, String key, List<EndpointReport.Site> sites) {
    out.append('[');
    for (int i = 0; i < sites.size(); i++) {
      EndpointReport.Site site = sites.get(i);
      out.append(i == 0 ? "{\"" : ",{\"").append(key).append("\":");
      Json.string(out, site.site());
      out.append(",\"samples\":").append(site.samples()).append(",\"share\":").append(Json.number(site.share(), 3)).append('}');
    }
    out.append(']');
  }
}
