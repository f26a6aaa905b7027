package dev.requesttiming.core;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One endpoint's line in a {@link Report}: its traffic, latency percentiles (at most 1 % relative
 * error), budget, budget pressure, the flags raised, the most requests in flight at once, and where
 * its slow requests were stuck. Immutable.
 *
 * @param method the HTTP method, or {@code UNKNOWN}
 * @param uri a template, a normalized path or a special name such as {@code NOT_FOUND}
 * @param count requests finished in the span of the report
 * @param ratePerSecond requests per second over the span of the report
 * @param errorRatio the share of requests that ended in a 5xx status or an exception, from 0 to 1
 * @param budget the endpoint's worker-timeout budget
 * @param budgetPressure p99 ÷ budget: 1.0 means the slowest 1 % of requests reach the worker timeout.
 *     An endpoint whose requests were flagged but none finished (killed by the worker supervisor,
 *     say) counts as if its p99 stood at its highest flagged level.
 * @param warnFlags requests flagged {@code warn} in the span
 * @param criticalFlags requests flagged {@code critical} in the span
 * @param exceededFlags requests flagged {@code exceeded} in the span
 * @param shed requests answered {@code 503} unrun in the span, under overload
 * @param shedByReason those requests by reason, as {@code http.server.requests.budget.shed}'s {@code
 *     reason} tag says it ({@code spent}, {@code late}, {@code limit}, {@code share}), only those not 0
 * @param refusedNow whether its requests are being refused as the report is taken (its share or
 *     limit is reached and held)
 * @param abandoned requests whose client went away before the answer
 * @param peakInFlight the most requests of this endpoint in flight at once in the span, as the
 *     watchdog's scans saw them (requests shorter than a scan are mostly not seen). Many at once
 *     with a rising p50 means requests queue; few at once with a high p99 means each is slow.
 * @param stuckAt where requests past {@code stack-trace-at} were stuck, most samples first
 */
public record EndpointReport(
    String method,
    String uri,
    long count,
    double ratePerSecond,
    double errorRatio,
    Duration avg,
    Duration p50,
    Duration p95,
    Duration p99,
    Duration max,
    Duration budget,
    double budgetPressure,
    long warnFlags,
    long criticalFlags,
    long exceededFlags,
    long shed,
    Map<String, Long> shedByReason,
    boolean refusedNow,
    long abandoned,
    int peakInFlight,
    List<Site> stuckAt) {

  /**
   * A place where the endpoint's slow requests were found waiting: the first application frame and
   * the frame the thread waits in, with its number of stack samples and their share of the
   * endpoint's samples.
   */
  public record Site(String site, long samples, double share) {}

  /** Copies the list of sites and the counts by reason (in their order). */
  public EndpointReport {
    stuckAt = List.copyOf(stuckAt);
    shedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(shedByReason));
  }

  /** {@code METHOD uri}. */
  @Override
  public String toString() {
    return method + " " + uri;
  }
}
