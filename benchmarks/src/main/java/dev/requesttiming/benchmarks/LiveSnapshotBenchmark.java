package dev.requesttiming.benchmarks;

import dev.requesttiming.core.BenchmarkAccess;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
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

/**
 * The live view's snapshot ({@code RequestTiming.reports().liveJson(50)}) with many requests in flight, all of
 * them past their warn level (the worst case: the reports list every one as still running), after
 * 100 endpoints have finished requests.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class LiveSnapshotBenchmark {

  @Param({"1000", "10000"})
  public int inFlight;

  private RequestTiming<BenchmarkAccess.Request> timing;

  @Setup(Level.Trial)
  public void setUp() {
    MockClock clock = new MockClock();
    timing = RequestTiming.create(
        new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock),
        RequestTimingConfig.builder().budget(Duration.ofSeconds(30)).watchdogInterval(Duration.ofMinutes(1))
            .reportInterval(Duration.ofMinutes(10)).build(),
        BenchmarkAccess.REQUESTS);
    for (int i = 0; i < 100; i++) {
      timing.finish(timing.start(new BenchmarkAccess.Request("GET", "/api/endpoint" + i)), 200, null);
    }
    for (int i = 0; i < inFlight; i++) {
      timing.start(new BenchmarkAccess.Request("GET", "/api/users/" + (i % 100)));
      clock.add(Duration.ofMillis(1));
    }
    clock.add(Duration.ofSeconds(20)); // past warn (15s), all of them
    BenchmarkAccess.scan(timing);
    if (BenchmarkAccess.inFlight(timing) != inFlight) {
      throw new IllegalStateException("expected " + inFlight + " requests in flight");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    timing.close();
  }

  @Benchmark
  public String snapshot() {
    return timing.reports().liveJson(50);
  }
}
