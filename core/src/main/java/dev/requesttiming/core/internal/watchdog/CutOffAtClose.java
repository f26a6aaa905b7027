package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.engine.OldestRequests;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.Loggers;
import dev.requesttiming.core.internal.util.Percent;

/**
 * Says, when timing stops (a redeploy, a shutdown) with requests still running, which ones it cut
 * off: one WARN on {@code dev.requesttiming.budget} ({@code event=cut_off_at_close}) with the oldest
 * {@value #LISTED} (endpoint, age, share of budget, stuck site, id), then how many more, so that the
 * evidence outlives the restart.
 */
public final class CutOffAtClose {

  static final int LISTED = 20;

  private CutOffAtClose() {}

  /** Logs the requests still running, if any; never throws. */
  public static void log(Engine engine) {
    try {
      OldestRequests oldest = new OldestRequests(LISTED);
      engine.inFlight().forEach(r -> {
        if (!r.isFinished()) {
          oldest.offer(r);
        }
      });
      int running = oldest.offered();
      if (running == 0) {
        return;
      }
      long now = engine.clock().monotonicTime();
      StringBuilder text = new StringBuilder();
      text.append(running).append(running == 1 ? " request" : " requests")
          .append(" still running when request-timing stopped, cut off or left untimed:");
      for (InFlightRequest r : oldest.oldestFirst()) {
        long age = Math.max(0, now - r.startNanos());
        long budget = engine.budgetNanos(r);
        text.append("\n    ").append(r.method().name()).append(' ').append(engine.runningName(r).uri())
            .append(" for ").append(Durations.latency(age))
            .append(" (").append(Percent.ofBudget(age, budget)).append(" of its ").append(Durations.configured(budget))
            .append(" budget)");
        if (r.stuckAt() != null) {
          text.append(" stuck at ").append(r.stuckAt());
        }
        text.append(" id=").append(r.id()).append(" thread=").append(BudgetFlags.threadName(r.thread()));
      }
      if (running > LISTED) {
        text.append("\n    and ").append(running - LISTED).append(" more");
      }
      LogEvent.warn(Loggers.BUDGET)
          .addKeyValue("event", "cut_off_at_close")
          .addKeyValue("running", running)
          .log(text.toString());
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("listing the requests still running at close", e);
    }
  }
}
