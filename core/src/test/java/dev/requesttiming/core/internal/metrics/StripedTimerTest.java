package dev.requesttiming.core.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The request timer published directly: counts under concurrency (moved here from PrometheusDirectTest). */
class StripedTimerTest {

  @Test
  void concurrentWriters_areEachCountedOnce() throws InterruptedException {
    StripedTimer timer = new StripedTimer(new double[] {1e6, 1e7, 1e8}, new MockClock(), io.micrometer.core.instrument.distribution.DistributionStatisticConfig.DEFAULT);
    int threads = 8;
    int each = 200_000;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread writer =
          new Thread(
              () -> {
                try {
                  go.await();
                } catch (InterruptedException e) {
                  return;
                }
                for (int i = 0; i < each; i++) {
                  timer.record(i % 4 == 0 ? 1_000_000 : i % 4 == 1 ? 5_000_000 : i % 4 == 2 ? 50_000_000 : 500_000_000, 0);
                }
              });
      writer.start();
      writers.add(writer);
    }
    go.countDown();
    for (Thread writer : writers) {
      writer.join();
    }
    long[] counts = new long[timer.buckets()];
    long sum = timer.read(counts);

    long quarter = (long) threads * each / 4;
    assertThat(counts).containsExactly(quarter, quarter, quarter, quarter);
    assertThat(sum).isEqualTo(quarter * (1_000_000L + 5_000_000L + 50_000_000L + 500_000_000L));
  }
  /** The bucket as Micrometer's histogram counts a duration: the first whose bound (a double, in nanoseconds) is at least it. */
  @Test
  void bucket_isTheFirstWhoseBoundIsAtLeastTheDuration_forWholeAndFractionalBounds() {
    java.util.Random random = new java.util.Random(7);
    double[] bounds = new double[40];
    double bound = 0.5;
    for (int i = 0; i < bounds.length; i++) {
      bound += i % 3 == 0 ? 1 + random.nextInt(5) : bound * random.nextDouble(); // whole and fractional steps
      bounds[i] = i % 2 == 0 ? Math.floor(bound) : bound;
    }
    StripedTimer timer = new StripedTimer(bounds, new MockClock(), io.micrometer.core.instrument.distribution.DistributionStatisticConfig.DEFAULT);
    List<Long> durations = new ArrayList<>(List.of(0L, Long.MAX_VALUE));
    for (double b : bounds) {
      long whole = (long) Math.floor(b);
      durations.addAll(List.of(whole - 1, whole, whole + 1));
    }
    for (int i = 0; i < 10_000; i++) {
      durations.add((long) (random.nextDouble() * bounds[bounds.length - 1] * 1.1));
    }
    for (long nanos : durations) {
      int i = java.util.Arrays.binarySearch(bounds, (double) nanos);
      assertThat(timer.bucket(nanos)).as("%d ns", nanos).isEqualTo(i >= 0 ? i : -i - 1);
    }
  }
}
