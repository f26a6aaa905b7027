package dev.requesttiming.core.internal.report;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.Report;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A {@link Report} as the reporter takes it. Immutable: it copies its lists. */
public record TakenReport(
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
    List<EndpointReport.Site> topWaits)
    implements Report {

  /** Copies the lists. */
  public TakenReport {
    endpoints = List.copyOf(endpoints);
    stillRunning = List.copyOf(stillRunning);
    topWaits = List.copyOf(topWaits);
  }

  @Override
  public String toJson() {
    return ReportText.json(this);
  }

  @Override
  public String toString() {
    return ReportText.table(this);
  }
}
