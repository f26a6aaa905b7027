package dev.requesttiming.core.internal.stats;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most requests in flight at once since the last report, of an endpoint or of the whole app, as
 * the watchdog counts them at its scans.
 *
 * <ol>
 *   <li>The watchdog {@link #raise raises} it after each scan; the reporter {@link #take takes} it at
 *       the end of an interval, which starts the next at zero; the gauge and the report since start
 *       {@link #read} it. No request thread writes it.
 *   <li>A raise and a take that race lose nothing: the take answers the peak before the raise or
 *       leaves the raise for the next interval, never half of each.
 * </ol>
 */
public final class PeakInFlight {

  private final AtomicInteger peak = new AtomicInteger();

  /** Counts a scan that found {@code inFlight} requests in flight. */
  public void raise(int inFlight) {
    peak.accumulateAndGet(inFlight, Math::max);
  }

  /** The peak of the interval that ends now; the next starts at zero. */
  public int take() {
    return peak.getAndSet(0);
  }

  /** The peak of the interval so far. */
  public int read() {
    return peak.get();
  }
}
