package dev.requesttiming.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A slow-endpoint report: the endpoints of a span of time ranked by budget pressure (p99 ÷ budget),
 * highest first, so the first line is the API to fix first. Immutable; {@link #toJson()} gives the
 * JSON form logged with {@code report-format=json}, {@link #toString()} the table. The engine makes
 * it, so a new field is a new method, not a broken constructor.
 */
public interface Report {

  /**
   * The worker pool: {@code limit} the most requests served at once (0 when not known, -1 when there
   * is no pool, as under virtual threads), where that number came from, and how long at least
   * {@code saturated-at} of it was busy.
   */
  record Workers(int limit, String source, Duration saturated) {

    /** A pool this report knows nothing of. */
    public static final Workers UNKNOWN = new Workers(0, "", Duration.ZERO);
  }

  /** How long the requests of the span waited for a worker: how many were stamped, p50, p99, the longest. */
  record QueueTimes(long count, Duration p50, Duration p99, Duration max) {}

  /**
   * A request still running when the report was made, past the warn level of its budget: one that
   * may never finish (a killed worker, a proxy that gave up) still shows up, with its age.
   */
  record Running(String method, String uri, String id, Duration age, Duration budget, String thread) {}

  /** The start of the span this report covers. */
  Instant start();

  /** The end of the span. */
  Instant end();

  /** All requests finished in the span, including those of endpoints not listed. */
  long totalRequests();

  /** How many endpoints had requests in the span, listed or not. */
  int endpointCount();

  /** The listed endpoints, highest budget pressure first. */
  List<EndpointReport> endpoints();

  /** The most requests of the whole app in flight at once in the span, as the watchdog saw them. */
  int peakInFlight();

  /** How many requests were still running past their warn level when the report was made. */
  int stillRunningCount();

  /** The oldest of those requests (at most five), oldest first. */
  List<Running> stillRunning();

  /** The worker pool: its limit, and how long it was saturated in the span. */
  Workers workers();

  /**
   * How long requests waited for a worker in the span, from the proxy's stamp; null without {@code
   * request-start-header} or stamped requests.
   */
  @Nullable QueueTimes queue();

  /**
   * Where slow requests waited across all endpoints (their stuck sites without the application
   * frame, summed), most samples first: a pool or lock too small for the load.
   */
  List<EndpointReport.Site> topWaits();

  /** The report as one JSON object (documented in docs/reports.md). */
  String toJson();

  /** The report as an aligned table with a header line. */
  @Override
  String toString();
}
