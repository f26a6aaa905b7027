package dev.requesttiming.core.internal.stats;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Requests are recorded while the reporter drains an interval: each request, and its error, lands
 * in exactly one report, this one or the next. The request thread records two requests, the second
 * an error; r1 and r2 are the requests in the two reports, r3 and r4 their errors.
 */
@JCStressTest
@Outcome(id = {"0, 2, 0, 1", "1, 1, 0, 1", "2, 0, 1, 0"}, expect = ACCEPTABLE, desc = "each request in exactly one report")
@Outcome(expect = FORBIDDEN, desc = "a request lost, counted twice, or its error parted from it")
@State
public class IntervalStatsStress {

  private final IntervalStats stats = new IntervalStats();
  private final IntervalStats.Totals cumulative = new IntervalStats.Totals();
  private final IntervalStats.Totals first = new IntervalStats.Totals();
  private final IntervalStats.Totals second = new IntervalStats.Totals();

  @Actor
  public void requestThread() {
    stats.record(1_000_000, false);
    stats.record(2_000_000, true);
  }

  @Actor
  public void reporter() {
    stats.drainInto(first, cumulative);
  }

  @Arbiter
  public void nextReport(IIII_Result r) {
    stats.drainInto(second, cumulative);
    r.r1 = (int) first.count;
    r.r2 = (int) second.count;
    r.r3 = (int) first.errors;
    r.r4 = (int) second.errors;
  }
}
