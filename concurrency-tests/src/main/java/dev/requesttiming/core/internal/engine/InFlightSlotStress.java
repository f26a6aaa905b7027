package dev.requesttiming.core.internal.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A request claims an in-flight slot and releases it while the watchdog scans: the scan sees the
 * request whole (every field written before the publishing CAS) or not at all, never a torn one;
 * and the slot is free afterwards. Both threads name the request's path meanwhile, as a finish and
 * the watchdog may at once: each gets its whole name, whichever wrote it.
 *
 * <p>r1: the request thread got a slot and its path's name (1); r2: what the scan saw (0 nothing, 1
 * the whole request and its path's name, -1 a request whose fields it could not see); r3: requests
 * left in flight at the end.
 */
@JCStressTest
@Outcome(id = "1, 0, 0", expect = ACCEPTABLE, desc = "the scan ran before or after the request")
@Outcome(id = "1, 1, 0", expect = ACCEPTABLE_INTERESTING, desc = "the scan saw the request in flight, whole")
@Outcome(expect = FORBIDDEN, desc = "a torn request, a lost slot, or a slot left taken")
@State
public class InFlightSlotStress {

  private static final long START = 42;
  private final InFlightRegistry registry = new InFlightRegistry();

  @Actor
  public void requestThread(III_Result r) {
    InFlightRequest request = Shared.request(START);
    int slot = registry.add(request);
    r.r1 = slot >= 0 && request.pathName().uri().equals(Shared.PATH) ? 1 : 0;
    registry.remove(slot, request);
  }

  @Actor
  public void watchdog(III_Result r) {
    int[] seen = {0};
    registry.forEach(request -> seen[0] =
        request.startNanos() == START && request.method() != null && request.pathName().uri().equals(Shared.PATH) ? 1 : -1);
    r.r2 = seen[0];
  }

  @Arbiter
  public void after(III_Result r) {
    r.r3 = registry.size();
  }
}
