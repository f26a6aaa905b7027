package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.FlagLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * The latest requests that passed their warn level, for the live view: a ring of {@code
 * recent-requests} entries, so that a request that finished can still be looked at after it left
 * the requests in flight.
 *
 * <ol>
 *   <li>{@link #add} is called by the threads of slow requests only, as they finish: lock-free, one
 *       entry allocated; a request under its warn level never touches the ring.
 *   <li>{@link #latest} may run concurrently with it and sees each entry whole (entries are
 *       immutable), the newest first; an entry overwritten while it reads may be missed.
 * </ol>
 */
public final class RecentRequests {

  /**
   * A request that passed its warn level.
   *
   * @param endedAtMillis when it finished, in epoch milliseconds
   * @param status its status
   * @param level the highest level its time reached
   * @param stuckAt where the watchdog last sampled it waiting; null when never sampled
   * @param traceId the first {@code mdc-keys} value at its start (the trace id); null when none
   */
  public record Entry(
      long endedAtMillis,
      String id,
      String method,
      String uri,
      long durationNanos,
      long budgetNanos,
      long queueNanos,
      int status,
      @Nullable FlagLevel level,
      @Nullable String stuckAt,
      @Nullable String traceId,
      boolean abandoned) {}

  private final @Nullable AtomicReferenceArray<Entry> ring;
  private final AtomicLong added = new AtomicLong();

  RecentRequests(int size) {
    this.ring = size == 0 ? null : new AtomicReferenceArray<>(size);
  }

  /** Keeps a request that passed its warn level; the oldest entry makes way. */
  void add(Entry entry) {
    AtomicReferenceArray<Entry> r = ring;
    if (r != null) {
      r.set((int) (added.getAndIncrement() % r.length()), entry);
    }
  }

  /** The entries kept, the newest first. */
  public List<Entry> latest() {
    AtomicReferenceArray<Entry> r = ring;
    List<Entry> entries = new ArrayList<>();
    if (r == null) {
      return entries;
    }
    long next = added.get();
    for (long i = next - 1; i >= Math.max(0, next - r.length()); i--) {
      Entry e = r.get((int) (i % r.length()));
      if (e != null) {
        entries.add(e);
      }
    }
    entries.sort((a, b) -> Long.compare(b.endedAtMillis(), a.endedAtMillis()));
    return entries;
  }
}
