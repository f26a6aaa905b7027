package dev.requesttiming.core;

import org.jspecify.annotations.Nullable;

/**
 * What an admin page reads of a {@link RequestTiming}: the reports and the live view's JSON. Serve
 * them behind the app's authentication. Thread-safe: any thread may read at any time, and reading
 * never disturbs the periodic reports.
 */
public interface RequestTimingReports {

  /**
   * The last slow-endpoint report logged (every {@code report-interval}), or null before the first
   * interval with traffic has ended.
   */
  @Nullable Report lastReport();

  /** A report of everything since start, all endpoints ranked by budget pressure, taken now. */
  Report snapshot();

  /**
   * The live view's JSON (schema {@code request-timing.live/1}, in docs/live-view.md): the oldest {@code
   * maxRunning} requests in flight (at most 1,000) with their age against their budget, level, stuck
   * site, downstream call and trace id; the latest requests that passed warn; the workers' fill and
   * queue time over the last minutes; the latest report and the one since start. It never holds a
   * query string, header, cookie or body.
   */
  String liveJson(int maxRunning);
}
