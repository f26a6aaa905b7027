package dev.requesttiming.core;

import dev.requesttiming.core.internal.report.ReportText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A slow-endpoint report: the endpoints of a span of time ranked by budget pressure (p99 ÷ budget),
 * highest first, so the first line is the API to fix first. Immutable; {@link #toJson()} gives the
 * JSON form logged with {@code report-format=json}, {@link #toString()} the table.
 *
 * @param start the start of the span this report covers
 * @param end the end of the span
 * @param totalRequests all requests finished in the span, including those of endpoints not listed
 * @param endpointCount how many endpoints had requests in the span, listed or not
 * @param endpoints the listed endpoints, highest budget pressure first
 * @param peakInFlight the most requests of the whole app in flight at once in the span, as the
 *     watchdog saw them
 * @param stillRunningCount how many requests were still running past their warn level when the
 *     report was made
 * @param stillRunning the oldest of those requests (at most five), oldest first
 * @param workers the worker pool: its limit, and how long it was saturated in the span
 * @param queue how long requests waited for a worker in the span, from the proxy's stamp; null without
 *     {@code request-start-header} or stamped requests
 * @param topWaits where slow requests waited across all endpoints (their stuck sites without the
 *     application frame, summed), most samples first: a pool or lock too small for the load
 */
public record Report(
    Instant start,
    Instant end,
    long totalRequests,
    int endpointCount,
    List<EndpointReport> endpoints,
    int peakInFlight,
    int stillRunningCount,
    List<Running> stillRunning,
    Workers workers,
    @Nullable QueueTimes queue,
    List<EndpointReport.Site> topWaits) {

  /**
   * The worker pool: {@code limit} the most requests served at once (0 when not known, -1 when there
   * is no pool, as under virtual threads), where that number came from, and how long at least
   * {@code saturated-at} of it was busy.
   */
  public record Workers(int limit, String source, Duration saturated) {

    /** A pool this report knows nothing of. */
    public static final Workers UNKNOWN = new Workers(0, "", Duration.ZERO);
  }

  /** How long the requests of the span waited for a worker: how many were stamped, p50, p99, the longest. */
  public record QueueTimes(long count, Duration p50, Duration p99, Duration max) {}

  /**
   * A request still running when the report was made, past the warn level of its budget: one that
   * may never finish (a killed worker, a proxy that gave up) still shows up, with its age.
   */
  public record Running(String method, String uri, String id, Duration age, Duration budget, String thread) {}

  /** Copies the lists. */
  public Report {
    endpoints = List.copyOf(endpoints);
    stillRunning = List.copyOf(stillRunning);
    topWaits = List.copyOf(topWaits);
  }

  /** The report as one JSON object (documented in the README). */
  public String toJson() {
    return ReportText.json(this);
  }

  /** The report as an aligned table with a header line. */
  @Override
  public String toString() {
    return ReportText.table(this);
  }
}
