package dev.requesttiming.core.internal.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The watchdog starts counting a request in flight and notes where it is stuck while the request
 * finishes: whichever comes first, no active sample is left running, and the stuck site stays
 * readable for the recent requests.
 *
 * <p>r1: no sample left (1); r2: the stuck site kept (1).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "the sample stopped, the stuck site kept")
@Outcome(expect = FORBIDDEN, desc = "an active sample left running, or the stuck site lost")
@State
public class ActiveSampleStress {

  private static final String SITE = "Backend.call(Backend.java:42)";
  private final InFlightRequest request = Shared.request(0);

  @Actor
  public void watchdog() {
    request.startActive(Shared.ENDPOINT);
    request.stuckAt(SITE);
  }

  @Actor
  public void finishingThread() {
    if (request.markFinished()) {
      request.stopActive();
    }
  }

  @Arbiter
  public void after(II_Result r) {
    r.r1 = request.hasActiveSample() ? 0 : 1;
    r.r2 = SITE.equals(request.stuckAt()) ? 1 : 0;
  }
}
