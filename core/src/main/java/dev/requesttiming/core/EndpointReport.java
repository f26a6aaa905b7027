package dev.requesttiming.core;

import java.time.Duration;
import java.util.List;

/**
 * One endpoint's line in a {@link Report}: its traffic, latency percentiles (at most 1 % relative
 * error), budget, budget pressure (p99 ÷ budget), the flags raised, the most requests in flight at
 * once, and where its slow requests were stuck. Immutable.
 */
public final class EndpointReport {

  /**
   * A place where the endpoint's slow requests were found waiting: the first application frame and
   * the frame the thread waits in, with its number of stack samples and their share of the
   * endpoint's samples.
   */
  public record Site(String site, long samples, double share) {}

  private final String method;
  private final String uri;
  private final long count;
  private final double ratePerSecond;
  private final double errorRatio;
  private final Duration avg;
  private final Duration p50;
  private final Duration p95;
  private final Duration p99;
  private final Duration max;
  private final Duration budget;
  private final double budgetPressure;
  private final long[] flags;
  private final int peakInFlight;
  private final List<Site> stuckAt;

  EndpointReport(
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
      long[] flags,
      int peakInFlight,
      List<Site> stuckAt) {
    this.method = method;
    this.uri = uri;
    this.count = count;
    this.ratePerSecond = ratePerSecond;
    this.errorRatio = errorRatio;
    this.avg = avg;
    this.p50 = p50;
    this.p95 = p95;
    this.p99 = p99;
    this.max = max;
    this.budget = budget;
    this.budgetPressure = budgetPressure;
    this.flags = flags.clone();
    this.peakInFlight = peakInFlight;
    this.stuckAt = List.copyOf(stuckAt);
  }

  /** The HTTP method, or {@code UNKNOWN}. */
  public String method() {
    return method;
  }

  /** The endpoint's uri: a template, a normalized path or a special name such as {@code NOT_FOUND}. */
  public String uri() {
    return uri;
  }

  /** Requests finished in the span of the report. */
  public long count() {
    return count;
  }

  /** Requests per second over the span of the report. */
  public double ratePerSecond() {
    return ratePerSecond;
  }

  /** The share of requests that ended in a 5xx status or an exception, from 0 to 1. */
  public double errorRatio() {
    return errorRatio;
  }

  public Duration avg() {
    return avg;
  }

  public Duration p50() {
    return p50;
  }

  public Duration p95() {
    return p95;
  }

  public Duration p99() {
    return p99;
  }

  public Duration max() {
    return max;
  }

  /** The endpoint's worker-timeout budget. */
  public Duration budget() {
    return budget;
  }

  /**
   * p99 ÷ budget: 1.0 means the slowest 1 % of requests reach the worker timeout. An endpoint whose
   * requests were flagged but none finished (killed by the worker supervisor, say) counts as if its
   * p99 stood at its highest flagged level.
   */
  public double budgetPressure() {
    return budgetPressure;
  }

  /** Requests flagged {@code warn} in the span. */
  public long warnFlags() {
    return flags[FlagLevel.WARN.ordinal()];
  }

  /** Requests flagged {@code critical} in the span. */
  public long criticalFlags() {
    return flags[FlagLevel.CRITICAL.ordinal()];
  }

  /** Requests flagged {@code exceeded} in the span. */
  public long exceededFlags() {
    return flags[FlagLevel.EXCEEDED.ordinal()];
  }

  /**
   * The most requests of this endpoint in flight at once in the span, as the watchdog's scans saw
   * them (requests shorter than a scan are mostly not seen). Many at once with a rising p50 means
   * requests queue; few at once with a high p99 means each request is slow.
   */
  public int peakInFlight() {
    return peakInFlight;
  }

  /** Where requests past {@code stack-trace-at} were stuck, most samples first; empty when none. */
  public List<Site> stuckAt() {
    return stuckAt;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
