package dev.requesttiming.benchmarks;

import dev.requesttiming.core.BenchmarkAccess;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One watchdog scan over many requests in flight, none of them due for a flag yet. */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class WatchdogScanBenchmark {

  @Param({"1000", "10000"})
  public int inFlight;

  private RequestTiming<BenchmarkAccess.Request> timing;

  @Setup(Level.Trial)
  public void setUp() {
    timing =
        RequestTiming.create(
            new SimpleMeterRegistry(),
            RequestTimingConfig.builder()
                .watchdogInterval(Duration.ofMinutes(1))
                .reportInterval(Duration.ZERO)
                .build(),
            BenchmarkAccess.REQUESTS);
    for (int i = 0; i < inFlight; i++) {
      timing.start(new BenchmarkAccess.Request("GET", "/api/users/" + (i % 100)));
    }
    if (BenchmarkAccess.inFlight(timing) != inFlight) {
      throw new IllegalStateException("expected " + inFlight + " requests in flight");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    timing.close();
  }

  @Benchmark
  public void scan() {
    BenchmarkAccess.scan(timing);
  }
}
