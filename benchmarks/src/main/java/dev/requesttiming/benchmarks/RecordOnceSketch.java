package dev.requesttiming.benchmarks;

import io.micrometer.core.instrument.distribution.PercentileHistogramBuckets;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Not a metric: a sketch that measures issue 14's "record once" — counting each request in
 * Micrometer's own {@code http.server.requests} bucket boundaries, but in per-thread striped cells
 * (as the report's statistics do) instead of Micrometer's shared buckets, with count, sum and max.
 * {@link FilterOverheadBenchmark#requestTimingRecordOnceSketch} adds it to request-timing without
 * Micrometer's timer. Publishing the cells to Prometheus is not sketched.
 */
final class RecordOnceSketch {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int PAD = 16; // longs kept apart between the cells' hot words
  private static final int COUNT = 0;
  private static final int SUM = 1;
  private static final int MAX = 2;
  private static final int FIRST_BUCKET = PAD;

  private final double[] boundaries;
  private final long[][] cells;

  RecordOnceSketch() {
    // the percentile histogram of a 30s budget, as RequestsHistogram asks Micrometer for it
    this.boundaries =
        PercentileHistogramBuckets.buckets(
                new io.micrometer.core.instrument.distribution.DistributionStatisticConfig.Builder()
                    .percentilesHistogram(true)
                    .minimumExpectedValue((double) TimeUnit.MILLISECONDS.toNanos(1))
                    .maximumExpectedValue((double) TimeUnit.SECONDS.toNanos(60))
                    .build()
                    .merge(io.micrometer.core.instrument.distribution.DistributionStatisticConfig.DEFAULT))
            .stream()
            .mapToDouble(Double::doubleValue)
            .toArray();
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors() * 2 - 1));
    cells = new long[n][];
    for (int i = 0; i < n; i++) {
      cells[i] = new long[FIRST_BUCKET + boundaries.length + 1 + PAD];
    }
  }

  void record(long nanos) {
    @SuppressWarnings("deprecation")
    long id = Thread.currentThread().getId();
    long[] cell = cells[(int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & (cells.length - 1)];
    int i = Arrays.binarySearch(boundaries, (double) nanos);
    int bucket = i >= 0 ? i : -i - 1;
    LONGS.getAndAdd(cell, FIRST_BUCKET + bucket, 1L);
    LONGS.getAndAdd(cell, COUNT, 1L);
    LONGS.getAndAdd(cell, SUM, nanos);
    long max = (long) LONGS.getVolatile(cell, MAX);
    while (nanos > max && !LONGS.compareAndSet(cell, MAX, max, nanos)) {
      max = (long) LONGS.getVolatile(cell, MAX);
    }
  }

  int buckets() {
    return boundaries.length;
  }
}
