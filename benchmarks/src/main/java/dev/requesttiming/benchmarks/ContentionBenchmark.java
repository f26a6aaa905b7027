package dev.requesttiming.benchmarks;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.RequestTimingFilter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.FilterChain;
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
import org.openjdk.jmh.annotations.Threads;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;

/**
 * The hot path with two threads on the same endpoints, to show what sharing costs: each thread
 * has its own requests, the filter and the timer are shared.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class ContentionBenchmark {

  /** The filter and registry all threads share. */
  @State(Scope.Benchmark)
  public static class Shared {
    RequestTimingFilter filter;
    Timer rawTimer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      filter = new RequestTimingFilter(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), RequestTimingConfig.defaults());
      filter.init(new MockFilterConfig(new MockServletContext(), "requestTiming"));
      rawTimer =
          Timer.builder("http.server.requests")
              .publishPercentileHistogram()
              .register(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      filter.destroy();
    }
  }

  /** Each thread's own fake requests. */
  @State(Scope.Thread)
  public static class PerThread {
    Requests requests;
    FilterChain chain;

    @Setup(Level.Trial)
    public void setUp() {
      requests = new Requests();
      chain = requests.chain();
    }
  }

  @Benchmark
  public Object rawTimer(Shared shared, PerThread mine) throws Exception {
    MockHttpServletRequest request = mine.requests.next();
    long start = System.nanoTime();
    mine.chain.doFilter(request, mine.requests.response());
    shared.rawTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return request;
  }

  @Benchmark
  public Object requestTiming(Shared shared, PerThread mine) throws Exception {
    MockHttpServletRequest request = mine.requests.next();
    shared.filter.doFilter(request, mine.requests.response(), mine.chain);
    return request;
  }
}
