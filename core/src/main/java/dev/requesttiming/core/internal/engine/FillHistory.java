package dev.requesttiming.core.internal.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The workers' fill and the queue time over the last minutes, for the live view's charts: per
 * {@value #SLOT_MILLIS} ms slot, the most requests busy and the longest wait for a worker the
 * watchdog saw, {@value #SLOTS} slots (10 minutes).
 *
 * <p>Written by the watchdog thread ({@link #record}), read by snapshots ({@link #slots}); both
 * synchronize on this object, a few times a second at most.
 */
public final class FillHistory {

  static final int SLOT_MILLIS = 5_000;
  static final int SLOTS = 120;

  /** One slot: its start in epoch milliseconds, the most busy, the longest queue time (ms; -1 when not known). */
  public record Slot(long startMillis, int busy, long queueMillis) {}

  private final long[] starts = new long[SLOTS];
  private final int[] busy = new int[SLOTS];
  private final long[] queue = new long[SLOTS];
  private int newest = -1;

  /** The watchdog's scan at {@code nowMillis}: {@code busy} requests in flight, the longest of them waited {@code queueMillis}. */
  public synchronized void record(long nowMillis, int busyNow, long queueMillis) {
    long slotStart = nowMillis - Math.floorMod(nowMillis, SLOT_MILLIS);
    if (newest < 0 || starts[newest] != slotStart) {
      newest = (newest + 1) % SLOTS;
      starts[newest] = slotStart;
      busy[newest] = 0;
      queue[newest] = -1;
    }
    busy[newest] = Math.max(busy[newest], busyNow);
    queue[newest] = Math.max(queue[newest], queueMillis);
  }

  /** The slots of the last 10 minutes, the oldest first. */
  public synchronized List<Slot> slots() {
    List<Slot> slots = new ArrayList<>();
    if (newest < 0) {
      return slots;
    }
    for (int i = 1; i <= SLOTS; i++) {
      int at = (newest + i) % SLOTS;
      if (starts[at] != 0) {
        slots.add(new Slot(starts[at], busy[at], queue[at]));
      }
    }
    return slots;
  }
}
