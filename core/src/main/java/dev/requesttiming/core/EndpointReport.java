package dev.requesttiming.core;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's line in a {@link Report}: its traffic, latency percentiles (at most 1 % relative
 * error), budget, budget pressure, the flags raised, the most requests in flight at once, and where
 * its slow requests were stuck. Immutable; the engine makes it, so a new column is a new method, not
 * a broken constructor.
 */
public interface EndpointReport {

  /**
   * A place where the endpoint's slow requests were found waiting: the first application frame and
   * the frame the thread waits in, with its number of stack samples and their share of the
   * endpoint's samples.
   */
  record Site(String site, long samples, double share) {}

  /** The HTTP method, or {@code UNKNOWN}. */
  String method();

  /** A template, a normalized path or a special name such as {@code NOT_FOUND}. */
  String uri();

  /** Requests finished in the span of the report. */
  long count();

  /** Requests per second over the span of the report. */
  double ratePerSecond();

  /** The share of requests that ended in a 5xx status or an exception, from 0 to 1. */
  double errorRatio();

  /** The mean latency. */
  Duration avg();

  /** The median latency. */
  Duration p50();

  /** The 95th percentile of latency. */
  Duration p95();

  /** The 99th percentile of latency. */
  Duration p99();

  /** The longest request. */
  Duration max();

  /** The endpoint's worker-timeout budget. */
  Duration budget();

  /**
   * p99 ÷ budget: 1.0 means the slowest 1 % of requests reach the worker timeout. An endpoint whose
   * requests were flagged but none finished (killed by the worker supervisor, say) counts as if its
   * p99 stood at its highest flagged level.
   */
  double budgetPressure();

  /** Requests flagged {@code warn} in the span. */
  long warnFlags();

  /** Requests flagged {@code critical} in the span. */
  long criticalFlags();

  /** Requests flagged {@code exceeded} in the span. */
  long exceededFlags();

  /** Requests answered {@code 503} unrun in the span, under overload. */
  long shed();

  /**
   * Those requests by reason, as {@code http.server.requests.budget.shed}'s {@code reason} tag says
   * it ({@code spent}, {@code late}, {@code limit}, {@code share}), only those not 0.
   */
  Map<String, Long> shedByReason();

  /** Whether its requests are being refused as the report is taken (its share or limit is reached and held). */
  boolean refusedNow();

  /** Requests whose client went away before the answer. */
  long abandoned();

  /**
   * The most requests of this endpoint in flight at once in the span, as the watchdog's scans saw
   * them (requests shorter than a scan are mostly not seen). Many at once with a rising p50 means
   * requests queue; few at once with a high p99 means each is slow.
   */
  int peakInFlight();

  /** Where requests past {@code stack-trace-at} were stuck, most samples first. */
  List<Site> stuckAt();
}
