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
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The cost per request of timing filters, side by side: the chain alone, a bare Micrometer timer,
 * request-timing, and the peers a Java team would otherwise pick. The filters (and their registries)
 * are shared by all benchmark threads, as one filter serves all workers of a server; each thread has
 * its own fake requests. Run it with {@code -t 1} and {@code -t 2} ({@code run.sh} does both) to see
 * what a second thread on the same endpoints costs. The method names stay fixed so results compare
 * across versions.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterOverheadBenchmark {

  static final String STAMP = "X-Request-Start";

  /** The filters, shared by all threads. */
  @State(Scope.Benchmark)
  public static class Filters {
    Timer rawTimer;
    Filter requestTiming;
    Filter requestTimingWithoutTimer;
    Filter requestTimingMicrometerTimer;
    Filter requestTimingWithStamp;
    Filter requestTimingWithAdmission;
    Filter springObservation;
    Filter prometheusSimpleclient;
    Filter dropwizard;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      PrometheusMeterRegistry raw = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      rawTimer = Timer.builder("http.server.requests").publishPercentileHistogram().register(raw);

      MockServletContext context = new MockServletContext();
      requestTiming = requestTiming(context, "requestTiming", RequestTimingConfig.defaults());
      requestTimingWithoutTimer =
          requestTiming(context, "requestTimingWithoutTimer", RequestTimingConfig.builder().requestsTimer(RequestTimingConfig.RequestsTimer.OFF).build());
      requestTimingMicrometerTimer =
          requestTiming(context, "requestTimingMicrometerTimer", RequestTimingConfig.builder().prometheusDirect(RequestTimingConfig.PrometheusDirect.OFF).build());
      requestTimingWithStamp =
          requestTiming(context, "requestTimingWithStamp", RequestTimingConfig.builder().set("request-start-header", STAMP).build());
      requestTimingWithAdmission =
          requestTiming(context, "requestTimingWithAdmission", RequestTimingConfig.builder().set("request-start-header", STAMP)
              .set("worker-limit", "200").shedSpent(true).shedLate(true).endpointShare(0.5)
              .endpointLimit("POST /api/chat", 4).build());

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

    /** Our filter with its own Prometheus registry, started. */
    private static Filter requestTiming(MockServletContext context, String name, RequestTimingConfig config)
        throws Exception {
      Filter filter = new RequestTimingFilter(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), config);
      filter.init(new MockFilterConfig(context, name));
      return filter;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      requestTiming.destroy();
      requestTimingWithoutTimer.destroy();
      requestTimingMicrometerTimer.destroy();
      requestTimingWithStamp.destroy();
      requestTimingWithAdmission.destroy();
      prometheusSimpleclient.destroy();
      io.prometheus.client.CollectorRegistry.defaultRegistry.clear();
    }
  }

  /** A thread's own requests and the chain that routes them. */
  abstract static class Source {
    RequestSource requests;
    FilterChain chain;

    void use(RequestSource source) {
      requests = source;
      chain = source.chain();
    }
  }

  /** Each thread's own fake requests. */
  @State(Scope.Thread)
  public static class Mine extends Source {
    @Setup(Level.Trial)
    public void setUp() {
      use(new Requests());
    }
  }

  /** Each thread's own fake requests, stamped by a proxy in {@code X-Request-Start}. */
  @State(Scope.Thread)
  public static class MineStamped extends Source {
    private Requests stamped;

    @Setup(Level.Trial)
    public void setUp() {
      stamped = new Requests(STAMP);
      use(stamped);
    }

    /** Stamps of this second: waits of 0 to 50 ms, as behind a proxy with a free worker pool. */
    @Setup(Level.Iteration)
    public void restamp() {
      stamped.restamp();
    }
  }

  /** Each thread's own requests, as Tomcat 10.1 hands them to a filter. */
  @State(Scope.Thread)
  public static class MineOnTomcat extends Source {
    @Setup(Level.Trial)
    public void setUp() {
      use(new TomcatRequests());
    }
  }

  /** {@link #baseline} on Tomcat's requests: Tomcat's start-time mark and its attribute map. */
  @Benchmark
  public Object baselineOnTomcat(MineOnTomcat mine) throws Exception {
    return chainAlone(mine);
  }

  /** {@link #rawTimer} on Tomcat's requests. */
  @Benchmark
  public Object rawTimerOnTomcat(Filters filters, MineOnTomcat mine) throws Exception {
    return timedByRawTimer(filters, mine);
  }

  /** {@link #requestTiming} on Tomcat's requests: the time starts at Tomcat's mark, one clock read fewer. */
  @Benchmark
  public Object requestTimingOnTomcat(Filters filters, MineOnTomcat mine) throws Exception {
    return filter(filters.requestTiming, mine);
  }

  /** {@link #prometheusSimpleclient} on Tomcat's requests. */
  @Benchmark
  public Object prometheusSimpleclientOnTomcat(Filters filters, MineOnTomcat mine) throws Exception {
    return filter(filters.prometheusSimpleclient, mine);
  }

  @Benchmark
  public Object baseline(Mine mine) throws Exception {
    return chainAlone(mine);
  }

  @Benchmark
  public Object rawTimer(Filters filters, Mine mine) throws Exception {
    return timedByRawTimer(filters, mine);
  }

  @Benchmark
  public Object requestTiming(Filters filters, Mine mine) throws Exception {
    return filter(filters.requestTiming, mine);
  }

  /** An A/B switch: request-timing without Micrometer's request timer (its own structures only). */
  @Benchmark
  public Object requestTimingWithoutTimer(Filters filters, Mine mine) throws Exception {
    return filter(filters.requestTimingWithoutTimer, mine);
  }

  /**
   * An A/B switch: request-timing recording into Micrometer's timer ({@code prometheus-direct=off}),
   * as it does on registries other than Prometheus', instead of publishing to Prometheus directly.
   */
  @Benchmark
  public Object requestTimingMicrometerTimer(Filters filters, Mine mine) throws Exception {
    return filter(filters.requestTimingMicrometerTimer, mine);
  }

  /**
   * An A/B switch: request-timing reading the proxy's stamp ({@code request-start-header}) and
   * recording the queue time, on requests nginx stamped.
   */
  @Benchmark
  public Object requestTimingWithStamp(Filters filters, MineStamped mine) throws Exception {
    return filter(filters.requestTimingWithStamp, mine);
  }

  /**
   * An A/B switch: {@link #requestTimingWithStamp} with the overload protection on ({@code
   * shed-spent}, {@code shed-late}, {@code endpoint-share=0.5} of 200 workers, and an {@code
   * endpoint-limits} rule for another endpoint): what admitting a request and giving its place back
   * costs, with both threads mostly on one endpoint.
   */
  @Benchmark
  public Object requestTimingWithAdmission(Filters filters, MineStamped mine) throws Exception {
    return filter(filters.requestTimingWithAdmission, mine);
  }

  @Benchmark
  public Object springObservation(Filters filters, Mine mine) throws Exception {
    return filter(filters.springObservation, mine);
  }

  @Benchmark
  public Object prometheusSimpleclient(Filters filters, Mine mine) throws Exception {
    return filter(filters.prometheusSimpleclient, mine);
  }

  @Benchmark
  public Object dropwizard(Filters filters, Mine mine) throws Exception {
    return filter(filters.dropwizard, mine);
  }

  /** The chain alone: what every filter's overhead is measured against. */
  private static Object chainAlone(Source mine) throws Exception {
    HttpServletRequest request = mine.requests.next();
    mine.chain.doFilter(request, mine.requests.response());
    return request;
  }

  /** Two clock reads around the chain and a cached Micrometer timer's record: the floor for "time and record". */
  private static Object timedByRawTimer(Filters filters, Source mine) throws Exception {
    HttpServletRequest request = mine.requests.next();
    long start = System.nanoTime();
    mine.chain.doFilter(request, mine.requests.response());
    filters.rawTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    return request;
  }

  private static Object filter(Filter filter, Source mine) throws Exception {
    HttpServletRequest request = mine.requests.next();
    filter.doFilter(request, mine.requests.response(), mine.chain);
    return request;
  }
}
