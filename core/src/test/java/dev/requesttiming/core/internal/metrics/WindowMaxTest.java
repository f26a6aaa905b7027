package dev.requesttiming.core.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The request timer's maximum is Micrometer's: the same values and clock steps give the same answers. */
class WindowMaxTest {

  @Test
  void answersAsMicrometersTimeWindowMax_overRandomValuesAndClockSteps() {
    for (long seed = 1; seed <= 20; seed++) {
      MockClock clock = new MockClock();
      DistributionStatisticConfig window = DistributionStatisticConfig.builder()
          .expiry(Duration.ofSeconds(30)).bufferLength(3).build().merge(DistributionStatisticConfig.DEFAULT);
      TimeWindowMax micrometers = new TimeWindowMax(clock, window);
      WindowMax ours = new WindowMax(window, clock.monotonicTime());
      Random random = new Random(seed);
      for (int step = 0; step < 2_000; step++) {
        if (random.nextInt(4) == 0) {
          clock.add(random.nextInt(random.nextBoolean() ? 2_000 : 40_000), TimeUnit.MILLISECONDS);
        }
        long value = random.nextInt(1_000_000_000);
        micrometers.record((double) value, TimeUnit.NANOSECONDS);
        ours.record(value, clock.monotonicTime());
        if (random.nextInt(8) == 0) {
          clock.add(random.nextInt(50_000), TimeUnit.MILLISECONDS);
          assertThat(ours.poll(clock.monotonicTime()))
              .as("seed %d, step %d", seed, step)
              .isEqualTo((long) micrometers.poll(TimeUnit.NANOSECONDS));
        }
      }
    }
  }

  @Test
  void aValueOlderThanEveryWindow_isForgotten() {
    DistributionStatisticConfig window = DistributionStatisticConfig.builder()
        .expiry(Duration.ofMinutes(2)).bufferLength(3).build();
    WindowMax max = new WindowMax(window, 0);
    max.record(5_000, 1_000);
    assertThat(max.poll(100_000_000_000L)).isEqualTo(5_000);
    assertThat(max.poll(361_000_000_000L)).isZero();
  }
}
