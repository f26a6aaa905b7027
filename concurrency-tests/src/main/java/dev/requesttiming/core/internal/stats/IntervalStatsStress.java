package dev.requesttiming.core.internal.stats;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIIIII_Result;

/**
 * Requests are recorded while the reporter drains an interval: each request, with its error and its
 * duration's bucket (one word holds them), lands in exactly one report, this one or the next. The
 * request thread records request 1 (1 ms) and then request 2 (2 ms, an error). For each of the two
 * reports, the result says which requests its buckets hold (1, 2, both: 3), its count and its
 * errors. A later request may land in the earlier report: the reporter reads the buckets in order.
 */
@JCStressTest
@Outcome(id = {"0, 0, 0, 3, 2, 1", "1, 1, 0, 2, 1, 1", "2, 1, 1, 1, 1, 0", "3, 2, 1, 0, 0, 0"}, expect = ACCEPTABLE,
    desc = "each request in exactly one report, with its error")
@Outcome(expect = FORBIDDEN, desc = "a request lost, counted twice, or its error parted from it")
@State
public class IntervalStatsStress {

  private static final long FIRST_NANOS = 1_000_000;
  private static final long SECOND_NANOS = 2_000_000;

  private final IntervalStats stats = new IntervalStats();
  private final IntervalStats.Totals cumulative = new IntervalStats.Totals();
  private final IntervalStats.Totals first = new IntervalStats.Totals();
  private final IntervalStats.Totals second = new IntervalStats.Totals();

  @Actor
  public void requestThread() {
    stats.record(FIRST_NANOS, false);
    stats.record(SECOND_NANOS, true);
  }

  @Actor
  public void reporter() {
    stats.drainInto(first, cumulative);
  }

  @Arbiter
  public void nextReport(IIIIII_Result r) {
    stats.drainInto(second, cumulative);
    r.r1 = requestsIn(first);
    r.r2 = (int) first.count;
    r.r3 = (int) first.errors;
    r.r4 = requestsIn(second);
    r.r5 = (int) second.count;
    r.r6 = (int) second.errors;
  }

  /** Which of the two requests a report's buckets hold: 1, 2, both (3) or none (0). */
  private static int requestsIn(IntervalStats.Totals report) {
    int first = report.buckets[LatencyBuckets.index(FIRST_NANOS / 1000)] != 0 ? 1 : 0;
    int second = report.buckets[LatencyBuckets.index(SECOND_NANOS / 1000)] != 0 ? 2 : 0;
    return first | second;
  }
}
