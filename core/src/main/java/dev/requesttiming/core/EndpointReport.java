package dev.requesttiming.core;

import java.time.Duration;

/**
 * One endpoint's line in a {@link Report}: its traffic, latency percentiles (at most 1 % relative
 * error), budget, budget pressure (p99 ÷ budget) and the flags raised. Immutable.
 */
public final class EndpointReport {

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
      long[] flags) {
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

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
