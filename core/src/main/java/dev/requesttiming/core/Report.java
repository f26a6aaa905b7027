package dev.requesttiming.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A slow-endpoint report: the endpoints of a span of time ranked by budget pressure (p99 ÷ budget),
 * highest first, so the first line is the API to fix first. Immutable; {@link #toJson()} gives the
 * JSON form logged with {@code report-format=json}, {@link #toString()} the table.
 */
public final class Report {

  /**
   * A request still running when the report was made, past the warn level of its budget: one that
   * may never finish (a killed worker, a proxy that gave up) still shows up, with its age.
   */
  public record Running(String method, String uri, String id, Duration age, Duration budget, String thread) {}

  private final Instant start;
  private final Instant end;
  private final long totalRequests;
  private final int endpointCount;
  private final List<EndpointReport> endpoints;
  private final int peakInFlight;
  private final int stillRunningCount;
  private final List<Running> stillRunning;

  Report(
      Instant start,
      Instant end,
      long totalRequests,
      int endpointCount,
      List<EndpointReport> endpoints,
      int peakInFlight,
      int stillRunningCount,
      List<Running> stillRunning) {
    this.start = start;
    this.end = end;
    this.totalRequests = totalRequests;
    this.endpointCount = endpointCount;
    this.endpoints = List.copyOf(endpoints);
    this.peakInFlight = peakInFlight;
    this.stillRunningCount = stillRunningCount;
    this.stillRunning = List.copyOf(stillRunning);
  }

  /** The start of the span this report covers. */
  public Instant start() {
    return start;
  }

  /** The end of the span this report covers. */
  public Instant end() {
    return end;
  }

  /** All requests finished in the span, including those of endpoints not listed. */
  public long totalRequests() {
    return totalRequests;
  }

  /** How many endpoints had requests in the span, listed or not. */
  public int endpointCount() {
    return endpointCount;
  }

  /** The listed endpoints, highest budget pressure first. */
  public List<EndpointReport> endpoints() {
    return endpoints;
  }

  /** The most requests of the whole app in flight at once in the span, as the watchdog saw them. */
  public int peakInFlight() {
    return peakInFlight;
  }

  /** How many requests were still running past their warn level when the report was made. */
  public int stillRunningCount() {
    return stillRunningCount;
  }

  /** The oldest of those requests (at most five), oldest first. */
  public List<Running> stillRunning() {
    return stillRunning;
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
