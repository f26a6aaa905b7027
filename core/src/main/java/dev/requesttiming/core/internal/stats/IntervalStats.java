package dev.requesttiming.core.internal.stats;

import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.util.Stripes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * One endpoint's statistics for the slow-endpoint report: request counts, errors, the {@link
 * LatencyBuckets} of durations, and flags, recorded on the request path and read by the reporter.
 * Writers share nothing: each thread records into a cell chosen by its id, and the cells only grow,
 * up to one per core, when two threads meet in one. Cells hold cumulative counts; the reporter
 * derives an interval as the difference between two reads, so no swap and no phaser sits on the
 * request path.
 *
 * <p>A request is one atomic add to one word, its duration's bucket in its thread's cell, which
 * counts the bucket's requests in its low 32 bits and their errors in its high 32: the request
 * count, the errors and the bucket counts are all read from these words, and the mean from the
 * buckets (within 1 %, as the percentiles are).
 *
 * <ol>
 *   <li>{@link #record} and {@link #flagged} may be called by any number of threads; they are
 *       lock-free (one CAS, no lock) and allocate nothing.
 *   <li>{@link #drainInto} is called by one reader at a time (the reporter, under its lock). Every
 *       request, its error and its duration's bucket are counted together in exactly one drain.
 *   <li>Memory: a cell is {@value #CELL_BYTES_APPROX} bytes (its buckets), at most {@link Stripes#MAX_CELLS}
 *       of them; the reader's cumulative totals (8 bytes a bucket) double as its record of what it read.
 * </ol>
 */
public final class IntervalStats {

  /** Longs kept free before a cell's first bucket, which sub-microsecond requests all write, against false sharing. */
  private static final int PAD = 16;

  static final int CELL_BYTES_APPROX = (PAD + LatencyBuckets.COUNT) * 8 + 200;

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  /** What an error adds to its bucket's word: one in the high 32 bits. */
  private static final long ONE_ERROR = 1L << 32;

  /** One thread's (or a few threads') share of the counts; two cells' threads write different arrays. */
  static final class Cell {
    /** From {@link #PAD} on, per bucket: requests in the low 32 bits, their errors in the high 32. */
    final long[] buckets = new long[PAD + LatencyBuckets.COUNT];
    final long[] flags = new long[FlagLevel.ALL.length];
    final long[] outcomes = new long[OUTCOMES];
  }

  /**
   * The outcomes counted besides flags: requests shed unrun, one count per reason from {@link #SHED}
   * on ({@link #SHED_REASONS} of them, in the order of the engine's reasons), then requests their
   * client gave up on.
   */
  public static final int SHED = 0;
  public static final int SHED_REASONS = 4;
  public static final int ABANDONED = SHED + SHED_REASONS;
  private static final int OUTCOMES = ABANDONED + 1;

  private volatile Cell[] cells = {new Cell()};


  /** Counts a request that took {@code nanos}, and its error if it failed. */
  public void record(long nanos, boolean error) {
    long[] buckets = cell().buckets;
    int bucket = PAD + LatencyBuckets.index(nanos / 1000);
    long add = error ? 1 + ONE_ERROR : 1;
    long seen = (long) LONGS.getVolatile(buckets, bucket);
    if (!LONGS.compareAndSet(buckets, bucket, seen, seen + add)) {
      LONGS.getAndAdd(buckets, bucket, add);
      spread();
    }
  }

  public void flagged(FlagLevel level) {
    LONGS.getAndAdd(cell().flags, level.ordinal(), 1L);
  }

  /** Counts an outcome: {@link #SHED} plus a reason's index, or {@link #ABANDONED}. */
  public void counted(int outcome) {
    LONGS.getAndAdd(cell().outcomes, outcome, 1L);
  }

  int cellCount() {
    return cells.length;
  }

  private Cell cell() {
    Cell[] cs = cells;
    return cs[Stripes.ofThisThread(cs.length)];
  }

  /** Two threads met in one cell: twice the cells, so that they likely part. */
  private synchronized void spread() {
    Cell[] cs = cells;
    Cell[] grown = Stripes.doubled(cs, Cell::new);
    if (grown != cs) {
      cells = grown; // no write once grown to the most: readers on every request keep their line
    }
  }

  /**
   * Adds everything recorded since the last drain to both totals. {@code cumulative} must be the
   * same object at every drain: it is also the record of what was drained before (the cells' counts
   * minus it are what is new), so the reader keeps no other copy.
   */
  public void drainInto(Totals interval, Totals cumulative) {
    Cell[] cs = cells;
    long words = 0; // every bucket's word, summed: requests plus errors << 32, as the cells add them
    for (int b = 0; b < LatencyBuckets.COUNT; b++) {
      long word = 0;
      for (Cell c : cs) {
        word += (long) LONGS.getVolatile(c.buckets, PAD + b);
      }
      words += word;
      long n = ((int) word - (int) cumulative.buckets[b]) & 0xffff_ffffL; // the bucket's requests, modulo 2^32
      if (n != 0) {
        interval.buckets[b] += n;
        cumulative.buckets[b] += n;
      }
    }
    long delta = words - (cumulative.count + (cumulative.errors << 32)); // both halves are counts modulo 2^32
    long count = delta & 0xffff_ffffL;
    long errors = delta >>> 32;
    interval.add(count, errors);
    cumulative.add(count, errors);
    drainCounts(cs, false, interval.flags, cumulative.flags);
    drainCounts(cs, true, interval.outcomes, cumulative.outcomes);
  }

  private static void drainCounts(Cell[] cs, boolean outcomes, long[] interval, long[] cumulative) {
    for (int f = 0; f < cumulative.length; f++) {
      long total = 0;
      for (Cell c : cs) {
        total += (long) LONGS.getVolatile(outcomes ? c.outcomes : c.flags, f);
      }
      long n = total - cumulative[f];
      interval[f] += n;
      cumulative[f] += n;
    }
  }

  /** Statistics accumulated over some span by the reporter; not thread-safe. */
  public static final class Totals {
    public final long[] buckets = new long[LatencyBuckets.COUNT];
    public long count;
    public long errors;
    public final long[] flags = new long[FlagLevel.ALL.length];
    /** Requests shed per reason, and abandoned by their client: from {@link #SHED}, {@link #ABANDONED}. */
    public final long[] outcomes = new long[OUTCOMES];

    void add(long requests, long errorCount) {
      count += requests;
      errors += errorCount;
    }

    /** Requests shed for any reason. */
    public long shed() {
      long shed = 0;
      for (int r = 0; r < SHED_REASONS; r++) {
        shed += outcomes[SHED + r];
      }
      return shed;
    }

    public boolean isEmpty() {
      return count == 0 && Arrays.stream(flags).allMatch(f -> f == 0) && Arrays.stream(outcomes).allMatch(o -> o == 0);
    }

    /** The nearest-rank percentile in microseconds (within 1 %); 0 when nothing was recorded. */
    public long percentileMicros(double percentile) {
      long recorded = 0;
      for (long n : buckets) {
        recorded += n;
      }
      if (recorded == 0) {
        return 0;
      }
      long rank = Math.max(1, (long) Math.ceil(percentile / 100 * recorded));
      long seen = 0;
      for (int b = 0; b < buckets.length; b++) {
        seen += buckets[b];
        if (seen >= rank) {
          return LatencyBuckets.value(b);
        }
      }
      return LatencyBuckets.value(buckets.length - 1);
    }

    public long maxMicros() {
      for (int b = buckets.length - 1; b >= 0; b--) {
        if (buckets[b] != 0) {
          return LatencyBuckets.value(b);
        }
      }
      return 0;
    }

    /** The mean in microseconds, from the buckets' values (within 1 %); 0 when nothing was recorded. */
    public long meanMicros() {
      long recorded = 0;
      double sum = 0;
      for (int b = 0; b < buckets.length; b++) {
        recorded += buckets[b];
        sum += (double) buckets[b] * LatencyBuckets.value(b);
      }
      return recorded == 0 ? 0 : Math.round(sum / recorded);
    }

    public void reset() {
      Arrays.fill(buckets, 0);
      count = 0;
      errors = 0;
      Arrays.fill(flags, 0);
      Arrays.fill(outcomes, 0);
    }
  }
}
