package dev.requesttiming.core;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.WriterReaderPhaser;

/**
 * One endpoint's statistics for the slow-endpoint report, recorded on the request path and drained
 * by the reporter: durations in microseconds in an HdrHistogram (two significant digits: at most
 * 1 % relative error), errors and flags in striped counters. Double-buffered with HdrHistogram's
 * {@link WriterReaderPhaser}, so a request's duration and its error always land in the same drain.
 *
 * <ol>
 *   <li>{@link #record} and {@link #flagged} may be called by any number of threads; they are
 *       wait-free and share no lock.
 *   <li>{@link #drainInto} is called by one reader at a time (the reporter, under its lock); it
 *       never blocks writers. Every request is counted in exactly one drain.
 * </ol>
 */
final class IntervalStats {

  static final int SIGNIFICANT_DIGITS = 2;

  /** One buffer: what writers record into until the reader swaps it out. */
  private static final class Phase {
    final ConcurrentHistogram histogram = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    final LongAdder errors = new LongAdder();
    final LongAdder[] flags = {new LongAdder(), new LongAdder(), new LongAdder()};

    void reset() {
      histogram.reset();
      errors.reset();
      for (LongAdder f : flags) {
        f.reset();
      }
    }
  }

  private final WriterReaderPhaser phaser = new WriterReaderPhaser();
  private volatile Phase active = new Phase();
  private Phase inactive = new Phase(); // reader-side only

  void record(long nanos, boolean error) {
    long token = phaser.writerCriticalSectionEnter();
    try {
      Phase phase = active;
      phase.histogram.recordValue(Math.max(0, nanos / 1000));
      if (error) {
        phase.errors.increment();
      }
    } finally {
      phaser.writerCriticalSectionExit(token);
    }
  }

  void flagged(FlagLevel level) {
    long token = phaser.writerCriticalSectionEnter();
    try {
      active.flags[level.ordinal()].increment();
    } finally {
      phaser.writerCriticalSectionExit(token);
    }
  }

  /** Moves everything recorded since the last drain into the given totals. */
  void drainInto(Totals interval, Totals cumulative) {
    phaser.readerLock();
    try {
      Phase drained = active;
      active = inactive;
      inactive = drained;
      phaser.flipPhase();
    } finally {
      phaser.readerUnlock();
    }
    Phase drained = inactive;
    long errors = drained.errors.sum();
    long[] flags = new long[drained.flags.length];
    for (int i = 0; i < flags.length; i++) {
      flags[i] = drained.flags[i].sum();
    }
    interval.add(drained.histogram, errors, flags);
    cumulative.add(drained.histogram, errors, flags);
    drained.reset();
  }

  /** Statistics accumulated over some span by the reporter; not thread-safe. */
  static final class Totals {
    final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);
    long errors;
    final long[] flags = new long[FlagLevel.ALL.length];

    void add(Histogram h, long errorCount, long[] flagCounts) {
      if (h.getTotalCount() > 0) {
        histogram.add(h);
      }
      errors += errorCount;
      for (int i = 0; i < flags.length; i++) {
        flags[i] += flagCounts[i];
      }
    }

    boolean isEmpty() {
      return histogram.getTotalCount() == 0 && Arrays.stream(flags).allMatch(f -> f == 0);
    }

    void reset() {
      histogram.reset();
      errors = 0;
      Arrays.fill(flags, 0);
    }
  }
}
