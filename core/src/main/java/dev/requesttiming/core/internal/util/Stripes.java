package dev.requesttiming.core.internal.util;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * How striped counters (the report's interval statistics, the request timer published directly) share their cells among
 * threads, as {@code LongAdder} does: a thread writes the cell its id hashes to, and the cells double,
 * up to one per core, when two threads meet in one.
 */
public final class Stripes {

  /** One cell per core at most (a power of two, at most 16): more cells than cores cannot help. */
  public static final int MAX_CELLS = Math.min(16, Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1)));

  private Stripes() {}

  /**
   * The cell of the calling thread among {@code cells} of them (a power of two): its id's low bits.
   * A server's worker threads are mostly created one after another, so their ids run in sequence
   * and the busy ones fall into different cells while there are as many cells as busy threads; a
   * hash of the id would put two of them in one cell as often as not.
   */
  public static int ofThisThread(int cells) {
    return (int) threadId() & (cells - 1);
  }

  /** The calling thread's id. */
  public static long threadId() {
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
    long id = Thread.currentThread().getId();
    return id;
  }

  /** Twice the cells, the new ones fresh; the same array when there are {@link #MAX_CELLS} already. */
  public static <C> C[] doubled(C[] cells, Supplier<C> newCell) {
    if (cells.length >= MAX_CELLS) {
      return cells;
    }
    C[] grown = Arrays.copyOf(cells, cells.length * 2);
    for (int i = cells.length; i < grown.length; i++) {
      grown[i] = newCell.get();
    }
    return grown;
  }
}
