package dev.requesttiming.core.internal.stats;

import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.util.Stripes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class IntervalStatsTest {

  @Test
  void buckets_areMonotonic_andTheirValueWithinOnePercentOfEveryValueInThem() {
    int last = -1;
    for (long micros = 0; micros < 1L << 22; micros += 1 + micros / 1000) {
      int index = LatencyBuckets.index(micros);
      assertThat(index).isGreaterThanOrEqualTo(last);
      last = index;
      assertThat((double) Math.abs(LatencyBuckets.value(index) - micros)).isLessThanOrEqualTo(micros * 0.008);
    }
    for (int i = 0; i < 100_000; i++) {
      long micros = ThreadLocalRandom.current().nextLong(64, 1L << 32);
      assertThat((double) Math.abs(LatencyBuckets.value(LatencyBuckets.index(micros)) - micros)).isLessThanOrEqualTo(micros * 0.008);
    }
  }

  @Test
  void buckets_belowSixtyFourMicrosAreExact_andBeyondSeventyMinutesOverflow() {
    assertThat(LatencyBuckets.index(-5)).isZero();
    assertThat(LatencyBuckets.value(LatencyBuckets.index(63))).isEqualTo(63);
    assertThat(LatencyBuckets.index((1L << 32) - 1)).isEqualTo(LatencyBuckets.OVERFLOW - 1);
    assertThat(LatencyBuckets.index(1L << 32)).isEqualTo(LatencyBuckets.OVERFLOW);
    assertThat(LatencyBuckets.index(Long.MAX_VALUE)).isEqualTo(LatencyBuckets.OVERFLOW);
    assertThat(LatencyBuckets.COUNT).isEqualTo(1729);
  }

  @Test
  void drains_giveIntervals_andTheCumulativeSum() {
    IntervalStats stats = new IntervalStats();
    IntervalStats.Totals interval = new IntervalStats.Totals();
    IntervalStats.Totals cumulative = new IntervalStats.Totals();
    stats.record(1_500_000, false);
    stats.record(2_500_000, true);
    stats.flagged(FlagLevel.WARN);
    stats.drainInto(interval, cumulative);
    assertThat(interval.count).isEqualTo(2);
    assertThat(interval.errors).isEqualTo(1);
    assertThat(interval.meanMicros()).isCloseTo(2_000, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(interval.flags).containsExactly(1, 0, 0);
    assertThat(interval.maxMicros()).isCloseTo(2_500, org.assertj.core.data.Percentage.withPercentage(1));

    interval.reset();
    stats.record(10_000_000, false);
    stats.drainInto(interval, cumulative);
    assertThat(interval.count).isEqualTo(1);
    assertThat(interval.errors).isZero();
    assertThat(interval.percentileMicros(50)).isCloseTo(10_000, org.assertj.core.data.Percentage.withPercentage(1));
    assertThat(cumulative.count).isEqualTo(3);
    assertThat(cumulative.errors).isEqualTo(1);
    assertThat(cumulative.flags).containsExactly(1, 0, 0);
  }

  @Test
  void threadsThatMeetInACell_spreadOverMoreCells_andEveryRequestIsCounted() throws Exception {
    assumeTrue(Stripes.MAX_CELLS > 1, "one core: one cell is all there is");
    // on a loaded machine the writers may happen to take turns and never meet: a few tries
    for (int attempt = 1; ; attempt++) {
      IntervalStats stats = write();
      if (stats.cellCount() > 1 || attempt == 5) {
        check(stats);
        return;
      }
    }
  }

  private static final int THREADS = 4;
  private static final int PER_THREAD = 500_000;

  private static IntervalStats write() throws InterruptedException {
    IntervalStats stats = new IntervalStats();
    int threads = THREADS;
    int perThread = PER_THREAD;
    CountDownLatch go = new CountDownLatch(1);
    Thread[] writers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      writers[t] = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = 0; i < perThread; i++) {
          stats.record(1_000 + i % 1000, i % 7 == 0);
        }
      });
      writers[t].start();
    }
    go.countDown();
    for (Thread w : writers) {
      w.join();
    }
    return stats;
  }

  private static void check(IntervalStats stats) {
    int threads = THREADS;
    int perThread = PER_THREAD;
    IntervalStats.Totals interval = new IntervalStats.Totals();
    stats.drainInto(interval, new IntervalStats.Totals());
    assertThat(interval.count).isEqualTo((long) threads * perThread);
    assertThat(interval.errors).isEqualTo((long) threads * ((perThread + 6) / 7));
    assertThat(java.util.Arrays.stream(interval.buckets).sum()).isEqualTo((long) threads * perThread);
    assertThat(stats.cellCount()).isBetween(2, Stripes.MAX_CELLS);
  }
}
