package dev.requesttiming.benchmarks;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.RequestTimingFilter;
import io.dropwizard.metrics.servlet6.InstrumentedFilter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.client.servlet.jakarta.filter.MetricsFilter;
import jakarta.servlet.Filter;
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
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The cost per request of timing filters, side by side: the chain alone, a bare Micrometer timer,
 * request-timing, and the peers a Java team would otherwise pick. The method names stay fixed so
 * results compare across versions.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FilterOverheadBenchmark {

  private Requests requests;
  private FilterChain chain;
  private Timer rawTimer;
  private Filter requestTiming;
  private Filter springObservation;
  private Filter prometheusSimpleclient;
  private Filter dropwizard;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    requests = new Requests();
    chain = requests.chain();

    PrometheusMeterRegistry raw = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    rawTimer = Timer.builder("http.server.requests").publishPercentileHistogram().register(raw);

    MockServletContext context = new MockServletContext();
    requestTiming =
        new RequestTimingFilter(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), RequestTimingConfig.defaults());
    requestTiming.init(new MockFilterConfig(context, "requestTiming"));

    ObservationRegistry observations = ObservationRegistry.create();
    observations
        .observationConfig()
        .observationHandler(new DefaultMeterObservationHandler(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)));
    springObservation = new ServerHttpObservationFilter(observations);

    MockFilterConfig simpleclientConfig = new MockFilterConfig(context, "prometheus");
    simpleclientConfig.addInitParameter("metric-name", "http_request_duration_seconds");
    prometheusSimpleclient = new MetricsFilter();
    prometheusSimpleclient.init(simpleclientConfig);

    MockServletContext dropwizardContext = new MockServletContext();
    dropwizardContext.setAttribute(InstrumentedFilter.REGISTRY_ATTRIBUTE, new com.codahale.metrics.MetricRegistry());
    dropwizard = new InstrumentedFilter();
    dropwizard.init(new MockFilterConfig(dropwizardContext, "dropwizard"));
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    requestTiming.destroy();
  }

  @Benchmark
  public Object baseline() throws Exception {
    MockHttpServletRequest request = requests.next();
    chain.doFilter(request, requests.response());
    return request;
  }

  @Benchmark
  public Object rawTimer() throws Exception {
    MockHttpServletRequest request = requests.next();
    long start = System.nanoTime();
    chain.doFilter(request, requests.response());
    rawTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return request;
  }

  @Benchmark
  public Object requestTiming() throws Exception {
    return filter(requestTiming);
  }

  @Benchmark
  public Object springObservation() throws Exception {
    return filter(springObservation);
  }

  @Benchmark
  public Object prometheusSimpleclient() throws Exception {
    return filter(prometheusSimpleclient);
  }

  @Benchmark
  public Object dropwizard() throws Exception {
    return filter(dropwizard);
  }

  private Object filter(Filter filter) throws Exception {
    MockHttpServletRequest request = requests.next();
    filter.doFilter(request, requests.response(), chain);
    return request;
  }
}
