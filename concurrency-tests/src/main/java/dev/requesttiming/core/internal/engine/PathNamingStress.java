package dev.requesttiming.core.internal.engine;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A request's path is named when first asked, by whichever thread asks: here the finishing thread
 * and the watchdog at once. Each gets the path's whole name, whichever of them wrote it, never the
 * path left half replaced.
 *
 * <p>r1, r2: 1 when the finishing thread, the watchdog, got the name of {@link Shared#PATH}.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "both got the name")
@Outcome(expect = FORBIDDEN, desc = "a thread saw no name, or another's")
@State
public class PathNamingStress {

  private final InFlightRequest request = Shared.request(42);

  @Actor
  public void finishingThread(II_Result r) {
    r.r1 = request.pathName().uri().equals(Shared.PATH) && !request.pathName().excluded() ? 1 : 0;
  }

  @Actor
  public void watchdog(II_Result r) {
    r.r2 = request.pathName().uri().equals(Shared.PATH) && !request.pathName().excluded() ? 1 : 0;
  }
}
