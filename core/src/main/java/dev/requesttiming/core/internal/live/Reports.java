package dev.requesttiming.core.internal.live;

import dev.requesttiming.core.Report;
import dev.requesttiming.core.RequestTimingReports;
import dev.requesttiming.core.internal.report.Reporter;
import org.jspecify.annotations.Nullable;

/** The reports and the live view of one instance, as admin pages read them. Thread-safe. */
public final class Reports implements RequestTimingReports {

  private final Reporter reporter;
  private final LiveSnapshot live;

  public Reports(Reporter reporter, LiveSnapshot live) {
    this.reporter = reporter;
    this.live = live;
  }

  @Override
  public @Nullable Report lastReport() {
    return reporter.lastReport();
  }

  @Override
  public Report snapshot() {
    return reporter.cumulative();
  }

  @Override
  public String liveJson(int maxRunning) {
    return live.json(maxRunning);
  }
}
