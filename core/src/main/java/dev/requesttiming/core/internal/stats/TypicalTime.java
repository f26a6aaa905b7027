package dev.requesttiming.core.internal.stats;

import dev.requesttiming.core.internal.util.Stripes;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What an endpoint typically takes: the median of its recent successful requests' own time (from
 * their start, without the wait for a worker), for deciding whether a request that starts late can
 * still be answered in time ({@code shed-late}) and for the {@code Retry-After} of a refusal.
 * Durations are counted in quarter-octave buckets, and the median is read as the upper bound of its
 * bucket (up to 19 % above it), so that a request given that much still finishes in time; the reader
 * decays the counts it has read by {@value #DECAY} at every {@link #update} (four a second), so the
 * requests of about the last five seconds weigh most.
 *
 * <ol>
 *   <li>{@link #record} may be called by any number of threads: an atomic add into a cell chosen by
 *       the thread's id, which the cells double (up to one per core) when two threads meet in one.
 *   <li>{@link #update} is called by one thread at a time (the watchdog's); {@link #nanos} from any.
 * </ol>
 */
public final class TypicalTime {

  /** Samples since start before the median counts as known. */
  static final int ENOUGH_SAMPLES = 10;
  static final double DECAY = 0.95;
  /** Requests faster than a millisecond are counted one in this many. */
  static final int FAST_SAMPLED = 16;
  /** Buckets: four below 4 µs, then four per power of two up to 2^35 µs (9.5 hours). */
  static final int BUCKETS = 4 + 34 * 4;
  private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

  private volatile int[][] cells = {new int[BUCKETS]};
  // the reader's state
  private final long[] read = new long[BUCKETS];
  private final double[] recent = new double[BUCKETS];
  private long samples;
  private volatile long typicalNanos;

  /**
   * Counts a successful request's own time: every one of a millisecond or more, one in {@value
   * #FAST_SAMPLED} of the faster ones (chosen by the time's low bits), so that an endpoint answering
   * in microseconds writes its cells seldom, while its median stays in the right bucket.
   */
  public void record(long nanos) {
    if (nanos < 1_000_000L && (nanos & (FAST_SAMPLED - 1)) != 0) {
      return;
    }
    int[][] cs = cells;
    int[] cell = cs[Stripes.ofThisThread(cs.length)];
    int bucket = bucket(nanos / 1000);
    int seen = (int) INTS.getVolatile(cell, bucket);
    if (!INTS.compareAndSet(cell, bucket, seen, seen + 1)) {
      INTS.getAndAdd(cell, bucket, 1);
      spread();
    }
  }

  private synchronized void spread() {
    int[][] cs = cells;
    int[][] grown = Stripes.doubled(cs, () -> new int[BUCKETS]);
    if (grown != cs) {
      cells = grown;
    }
  }

  /** The recent median in nanoseconds; 0 until {@value #ENOUGH_SAMPLES} requests were counted. */
  public long nanos() {
    return typicalNanos;
  }

  /** Decays what was read before, adds what was recorded since, and takes the median. */
  public void update() {
    int[][] cs = cells;
    double total = 0;
    for (int b = 0; b < BUCKETS; b++) {
      long count = 0;
      for (int[] cell : cs) {
        count += (int) INTS.getVolatile(cell, b) & 0xffff_ffffL;
      }
      long added = (count - read[b]) & 0xffff_ffffL; // counts wrap at 2^32 per cell, deltas do not
      read[b] = count;
      samples += added;
      recent[b] = recent[b] * DECAY + added;
      total += recent[b];
    }
    if (samples < ENOUGH_SAMPLES || total <= 0) {
      return;
    }
    double half = total / 2;
    double seen = 0;
    for (int b = 0; b < BUCKETS; b++) {
      seen += recent[b];
      if (seen >= half) {
        typicalNanos = upperBound(b) * 1000;
        return;
      }
    }
  }

  static int bucket(long micros) {
    if (micros < 4) {
      return micros < 0 ? 0 : (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros); // 2 or more
    int index = 4 + (exponent - 2) * 4 + (int) ((micros >>> (exponent - 2)) & 3);
    return Math.min(index, BUCKETS - 1);
  }

  /** The largest value a bucket holds, in microseconds. */
  static long upperBound(int bucket) {
    if (bucket < 4) {
      return bucket;
    }
    int shift = (bucket - 4) / 4;
    return ((5L + (bucket - 4) % 4) << shift) - 1;
  }
}
