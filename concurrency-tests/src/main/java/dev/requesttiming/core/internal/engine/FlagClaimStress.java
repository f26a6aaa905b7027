package dev.requesttiming.core.internal.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.requesttiming.core.internal.config.FlagLevel;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The watchdog (flagging in flight) and the finishing thread (flagging at completion) race for a
 * request's three levels: each level is claimed by exactly one of them, so it is counted and logged
 * once. r1 and r2 are the levels each claimed, as bits (warn 1, critical 2, exceeded 4).
 */
@JCStressTest
@Outcome(id = {"7, 0", "0, 7", "1, 6", "6, 1", "2, 5", "5, 2", "3, 4", "4, 3"}, expect = ACCEPTABLE,
    desc = "every level claimed once, by one of the two")
@Outcome(expect = FORBIDDEN, desc = "a level claimed twice, or by neither")
@State
public class FlagClaimStress {

  private static final long BUDGET = 10_000;
  private final InFlightRequest request = Shared.request(0);

  /** Claims the levels one at a time, as the request ages past each: the bits claimed. */
  private int claimEachLevel() {
    int claimed = 0;
    for (FlagLevel level : FlagLevel.ALL) {
      long reached = request.engine().settings().threshold(level, BUDGET);
      FlagLevel got = request.claimLevelsReached(Shared.ENDPOINT, reached, BUDGET);
      if (got == level) {
        claimed |= level.bit();
      }
    }
    return claimed;
  }

  @Actor
  public void watchdog(II_Result r) {
    r.r1 = claimEachLevel();
  }

  @Actor
  public void finishingThread(II_Result r) {
    r.r2 = claimEachLevel();
  }
}
