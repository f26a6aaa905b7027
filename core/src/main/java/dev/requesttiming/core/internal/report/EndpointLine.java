package dev.requesttiming.core.internal.report;

import dev.requesttiming.core.EndpointReport;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An {@link EndpointReport} as the reporter takes it. Immutable: it copies its list and map. */
public record EndpointLine(
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
    List<Site> stuckAt)
    implements EndpointReport {

  /** Copies the list of sites and the counts by reason (in their order). */
  public EndpointLine {
    stuckAt = List.copyOf(stuckAt);
    shedByReason = Collections.unmodifiableMap(new LinkedHashMap<>(shedByReason));
  }

  /** {@code METHOD uri}. */
  @Override
  public String toString() {
    return method + " " + uri;
  }
}
