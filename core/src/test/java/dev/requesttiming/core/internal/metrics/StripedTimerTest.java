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
  }}
