package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.FlagLevel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Flags raised when a request finishes past a level the watchdog had not seen: counted at once on
 * the request thread, their log lines queued here for the watchdog thread, so that a slow log
 * appender never delays a response. At most {@value #MAX_QUEUED} wait; past that, lines are dropped
 * (and the watchdog says how many), never the counts.
 *
 * <p>Thread-safe: request threads {@link #raise}, the watchdog {@link #poll}s.
 */
public final class CompletedFlags {

  /** A flag of a finished request, at the highest level it newly reached. */
  public record Flag(InFlightRequest request, Endpoint endpoint, FlagLevel level, long elapsedNanos, long budgetNanos, int status) {}

  public static final int MAX_QUEUED = 10_000;

  private final Queue<Flag> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong dropped = new AtomicLong();

  /** Claims and counts the levels a finished request reached that were not flagged yet; queues one line. */
  void raise(InFlightRequest request, Endpoint endpoint, long elapsedNanos, long budgetNanos, int status) {
    FlagLevel highest = request.claimLevelsReached(endpoint, elapsedNanos, budgetNanos);
    if (highest == null) {
      return;
    }
    if (queued.incrementAndGet() <= MAX_QUEUED) {
      queue.add(new Flag(request, endpoint, highest, elapsedNanos, budgetNanos, status));
    } else {
      queued.decrementAndGet();
      dropped.incrementAndGet();
    }
  }

  /** The next flag whose line waits, or null. */
  public @Nullable Flag poll() {
    Flag flag = queue.poll();
    if (flag != null) {
      queued.decrementAndGet();
    }
    return flag;
  }

  /** How many lines were dropped since the last call. */
  public long takeDropped() {
    return dropped.getAndSet(0);
  }
}
