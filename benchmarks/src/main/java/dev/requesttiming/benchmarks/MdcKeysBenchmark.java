package dev.requesttiming.benchmarks;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.RequestTimingFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.FilterChain;
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
import org.slf4j.MDC;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;

/**
 * What reading trace ids from the MDC at a request's start ({@code mdc-keys}) costs, with Logback's
 * MDC: keys off, the default keys with an empty MDC (tracing off), and with a trace and span id on
 * the MDC, as Micrometer Tracing leaves them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MdcKeysBenchmark {

  @Param({"off", "empty", "traced"})
  public String mdc;

  private Requests requests;
  private FilterChain chain;
  private RequestTimingFilter filter;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    requests = new Requests();
    chain = requests.chain();
    RequestTimingConfig.Builder config = RequestTimingConfig.builder();
    if (mdc.equals("off")) {
      config.mdcKeys();
    }
    filter = new RequestTimingFilter(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config.build());
    filter.init(new MockFilterConfig(new MockServletContext(), "requestTiming"));
    if (mdc.equals("traced")) { // a trial's setup runs on its benchmark thread
      MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
      MDC.put("spanId", "00f067aa0ba902b7");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    MDC.clear();
    filter.destroy();
  }

  @Benchmark
  public Object requestTiming() throws Exception {
    MockHttpServletRequest request = requests.next();
    filter.doFilter(request, requests.response(), chain);
    return request;
  }
}
