package dev.requesttiming.benchmarks;

import dev.requesttiming.core.DownstreamCall;
import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.BenchmarkAccess;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a budget-aware downstream call adds to the call, before any network: starting it within a
 * running request (the budget, the reserve, the call noted for flags), its timeout and deadline
 * header, and its end.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class DownstreamCallBenchmark {

  private static final URI RAG = URI.create("http://rag.internal:8080/v1/query?user=42");
  private static final Duration OWN = Duration.ofSeconds(90);

  private RequestTiming<BenchmarkAccess.Request> timing;
  private RequestBudget request;

  @Setup(Level.Trial)
  public void setUp() {
    timing =
        RequestTiming.create(
            new SimpleMeterRegistry(),
            RequestTimingConfig.builder().budget(Duration.ofHours(1)).deadlineHeader("X-Request-Timeout-Ms").build(),
            BenchmarkAccess.REQUESTS);
    request = timing.start(new BenchmarkAccess.Request("GET", "/api/ask"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    timing.finish(request, 200, null);
    timing.close();
  }

  @Benchmark
  public Object inARequest() throws Exception {
    try (DownstreamCall call = DownstreamCall.start("POST", RAG)) {
      call.deadlineHeaderValue();
      return call.timeout(OWN);
    }
  }
}
