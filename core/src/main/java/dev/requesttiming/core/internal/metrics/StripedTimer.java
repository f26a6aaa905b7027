package dev.requesttiming.core.internal.metrics;

import dev.requesttiming.core.internal.stats.IntervalStats;
import dev.requesttiming.core.internal.util.Stripes;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One request timer's Prometheus histogram (bucket counts at Micrometer's boundaries, and the sum)
 * counted as {@link IntervalStats} counts: in cells chosen by thread, which only grow, up to one per
 * core, when two threads meet in one; and its decaying maximum, as Micrometer's timer keeps it, in a {@link
 * WindowMax}, written only when a request is the slowest of its window. So the requests of a hot
 * endpoint share no written counter, where Micrometer's timer has all of them increment one bucket.
 *
 * <ol>
 *   <li>{@link #record} may be called by any number of threads: lock-free, no allocation.
 *   <li>{@link #read} may run concurrently with it (a scrape) and sees each request whole or not at
 *       all in each of a bucket and the sum, as Micrometer's timer does.
 *   <li>Memory: a cell is 8 bytes a bucket plus 256 bytes of padding, at most {@link
 *       Stripes#MAX_CELLS} of them.
 * </ol>
 */
final class StripedTimer {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  /** Longs kept free before and after a cell's words, against false sharing with its neighbours. */
  private static final int PAD = 16;
  private static final int SUM = PAD;
  private static final int FIRST_BUCKET = SUM + 1;

  /**
   * Upper bounds in whole nanoseconds, ascending (each the largest duration its bucket holds: a
   * bound of 1.5 ns holds 1 ns); a last bucket counts what lies above them.
   */
  private final long[] boundaries;
  private final Clock clock;
  private final WindowMax max;
  private volatile long[][] cells;

  StripedTimer(double[] boundaries, Clock clock, DistributionStatisticConfig maxWindow) {
    this.boundaries = wholeNanos(boundaries);
    this.clock = clock;
    this.max = new WindowMax(maxWindow, clock.monotonicTime());
    this.cells = new long[][] {newCell()};
  }

  /** Micrometer's bounds in nanoseconds, as the longest whole duration each bucket holds. */
  static long[] wholeNanos(double[] boundaries) {
    long[] whole = new long[boundaries.length];
    for (int i = 0; i < boundaries.length; i++) {
      whole[i] = (long) Math.floor(boundaries[i]); // a duration d is at most the bound b if and only if d <= floor(b)
    }
    return whole;
  }

  private long[] newCell() {
    return new long[FIRST_BUCKET + boundaries.length + 1 + PAD];
  }

  /** How many buckets {@link #read} fills: one per boundary and one above them. */
  int buckets() {
    return boundaries.length + 1;
  }

  /**
   * Records a duration that ended at {@code nowNanos} (monotonic); a negative one (a clock that went
   * back) is ignored, as Micrometer's timer does.
   */
  void record(long nanos, long nowNanos) {
    if (nanos < 0) {
      return;
    }
    long[] cell = cell();
    long seen = (long) LONGS.getVolatile(cell, SUM);
    if (!LONGS.compareAndSet(cell, SUM, seen, seen + nanos)) {
      LONGS.getAndAdd(cell, SUM, nanos);
      spread();
    }
    LONGS.getAndAdd(cell, FIRST_BUCKET + bucket(nanos), 1L);
    max.record(nanos, nowNanos);
  }

  /** The first bucket whose bound is at least the value, as Micrometer's histogram counts it. */
  int bucket(long nanos) {
    int low = 0;
    int high = boundaries.length;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (boundaries[mid] < nanos) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }

  /** Fills {@code counts} (at least {@link #buckets()} long) with each bucket's count; returns the sum in nanoseconds. */
  long read(long[] counts) {
    long[][] cs = cells;
    Arrays.fill(counts, 0, buckets(), 0);
    long sum = 0;
    for (long[] cell : cs) {
      sum += (long) LONGS.getVolatile(cell, SUM);
      for (int b = 0; b < buckets(); b++) {
        counts[b] += (long) LONGS.getVolatile(cell, FIRST_BUCKET + b);
      }
    }
    return sum;
  }

  /** The largest duration of the current window, in seconds, as Micrometer's timer reports it. */
  double maxSeconds() {
    return max.poll(clock.monotonicTime()) / 1e9;
  }

  int cellCount() {
    return cells.length;
  }

  private long[] cell() {
    long[][] cs = cells;
    return cs[Stripes.ofThisThread(cs.length)];
  }

  /** Two threads met in one cell: twice the cells, so that they likely part. */
  private synchronized void spread() {
    long[][] cs = cells;
    long[][] grown = Stripes.doubled(cs, this::newCell);
    if (grown != cs) {
      cells = grown; // no write once grown to the most: readers on every request keep their line
    }
  }
}
