package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.Loggers;
import dev.requesttiming.core.internal.util.Percent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
      List<InFlightRequest> running = new ArrayList<>();
      engine.inFlight().forEach(r -> {
        if (!r.isFinished()) {
          running.add(r);
        }
      });
      if (running.isEmpty()) {
        return;
      }
      running.sort(Comparator.comparingLong(InFlightRequest::startNanos));
      long now = engine.clock().monotonicTime();
      StringBuilder text = new StringBuilder();
      text.append(running.size()).append(running.size() == 1 ? " request" : " requests")
          .append(" still running when request-timing stopped, cut off or left untimed:");
      for (InFlightRequest r : running.subList(0, Math.min(LISTED, running.size()))) {
        long age = Math.max(0, now - r.startNanos());
        long budget = engine.budgetNanos(r);
        text.append("\n    ").append(r.method().name()).append(' ').append(engine.runningName(r).uri())
            .append(" for ").append(Durations.latency(age))
            .append(" (").append(Percent.ofBudget(age, budget)).append(" of its ").append(Durations.nanos(budget))
            .append(" budget)");
        if (r.stuckAt() != null) {
          text.append(" stuck at ").append(r.stuckAt());
        }
        text.append(" id=").append(r.id()).append(" thread=").append(BudgetFlags.threadName(r.thread()));
      }
      if (running.size() > LISTED) {
        text.append("\n    and ").append(running.size() - LISTED).append(" more");
      }
      LogEvent.warn(Loggers.BUDGET)
          .addKeyValue("event", "cut_off_at_close")
          .addKeyValue("running", running.size())
          .log(text.toString());
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("listing the requests still running at close", e);
    }
  }
}
