package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.RequestAdapter;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Parameter;
import dev.requesttiming.core.internal.config.Parameters;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.metrics.Meters;
import dev.requesttiming.core.internal.naming.EndpointNaming;
import dev.requesttiming.core.internal.util.FailOpen;
import dev.requesttiming.servlet.ServletAccess;
import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.slf4j.MDC;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * The request path taken apart: one benchmark per part of what {@code RequestTiming.start} and
 * {@code finish} do, on the engine's own classes (this class sits in their package to reach them),
 * so that the parts add up to the whole ({@link #startAndFinish}) and show where its time goes. Run
 * at 1 and 2 threads sharing the engine, as {@code FilterOverheadBenchmark} is; the table is in
 * {@code benchmarks/README.md}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestPathBenchmark {

  static final String BEST_MATCHING_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /** The engine and its parts, shared by all threads. */
  @State(Scope.Benchmark)
  public static class Parts {
    /** The servlet filter's own adapter: the route from the first of the default route attributes that is set. */
    final RequestAdapter<HttpServletRequest> adapter = ServletAccess.requests(Settings.DEFAULTS.routeAttributes());
    PrometheusMeterRegistry registry;
    Settings settings;
    Engine engine;
    Engine engineWithAdmission;
    Clock clock;
    EndpointNaming naming;
    /** Naming with Actuator excluded, as the Spring Boot starter sets it. */
    EndpointNaming bootNaming;
    Endpoints endpoints;
    Endpoint endpoint;
    InFlightRegistry inFlight;
    LogContext logContext;
    Admission admission;

    @Setup(Level.Trial)
    public void setUp() {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      settings = Settings.DEFAULTS;
      engine = new Engine(registry, settings, adapter);
      Settings protectedSettings = withProtection();
      engineWithAdmission = new Engine(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), protectedSettings, adapter);
      clock = registry.config().clock();
      naming = new EndpointNaming(settings);
      bootNaming = new EndpointNaming(withBootsExclude());
      Meters meters = new Meters(registry, settings, clock, new FailOpen(clock));
      endpoints = new Endpoints(settings, meters);
      endpoint = endpoints.get(HttpMethod.GET, "/api/users/{id}");
      inFlight = new InFlightRegistry();
      logContext = new LogContext(settings.get(Parameters.MDC_KEYS));
      admission = Admission.of(protectedSettings, new Workers(protectedSettings, meters));
    }

    private static Settings withBootsExclude() {
      Map<Parameter<?>, @Nullable Object> values = new HashMap<>();
      Parameters.all().forEach(p -> values.put(p, p.defaultValue()));
      values.put(Parameters.EXCLUDE, Parameters.EXCLUDE.parse("/actuator/**"));
      return Settings.of(values);
    }

    /** The overload protection on, as {@code FilterOverheadBenchmark.requestTimingWithAdmission} has it. */
    private static Settings withProtection() {
      Map<Parameter<?>, @Nullable Object> values = new HashMap<>();
      Parameters.all().forEach(p -> values.put(p, p.defaultValue()));
      values.put(Parameters.WORKER_LIMIT, 200);
      values.put(Parameters.SHED_SPENT, true);
      values.put(Parameters.SHED_LATE, true);
      values.put(Parameters.ENDPOINT_SHARE, 0.5);
      values.put(Parameters.ENDPOINT_LIMITS, Parameters.ENDPOINT_LIMITS.parse("POST /api/chat=4"));
      return Settings.of(values);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      engine.close();
      engineWithAdmission.close();
    }
  }

  /** Each thread's request, routed as Spring MVC routes it, and a request object of its own. */
  @State(Scope.Thread)
  public static class Mine {
    MockHttpServletRequest request;
    InFlightRequest started;
    long elapsed = 1_000_000;
    final byte[] uriBytes = "/api/users/1042".getBytes(StandardCharsets.ISO_8859_1);

    @Setup(Level.Trial)
    public void setUp(Parts parts) {
      request = new MockHttpServletRequest("GET", "/api/users/1042");
      request.setAttribute(BEST_MATCHING_PATTERN, "/api/users/{id}");
      started = new InFlightRequest(parts.engine, HttpMethod.GET, parts.naming.pathName("/api/users/1042"),
          parts.clock.monotonicTime(), 0, request, Long.MAX_VALUE, null, false);
    }
  }

  /** A real Tomcat request (its facade, as a filter sees it), received as Tomcat marks it. */
  @State(Scope.Thread)
  public static class Tomcat {
    HttpServletRequest request;

    @Setup(Level.Trial)
    public void setUp(Parts parts) {
      org.apache.coyote.Request coyote = new org.apache.coyote.Request();
      coyote.markStartTime();
      coyote.requestURI().setString("/api/users/1042");
      Request received = new Request(new Connector());
      received.setCoyoteRequest(coyote);
      request = received.getRequest();
      request.setAttribute(BEST_MATCHING_PATTERN, "/api/users/{id}");
      if (parts.adapter.receivedNanos(request) != coyote.getStartTimeNanos()) {
        throw new IllegalStateException("the adapter does not read Tomcat's receipt time");
      }
    }
  }

  /**
   * A Tomcat request to a web app at {@code /shop}, as a WAR on a standalone Tomcat gets them
   * (mapped to its context, as Tomcat's mapper does before the filter chain).
   */
  @State(Scope.Thread)
  public static class TomcatInContext {
    /** The adapter of the filter of the web app at {@code /shop}. */
    final RequestAdapter<HttpServletRequest> adapter = ServletAccess.requests(Settings.DEFAULTS.routeAttributes(), "/shop");
    HttpServletRequest request;

    @Setup(Level.Trial)
    public void setUp() {
      Context context = new org.apache.catalina.startup.Tomcat().addContext("/shop", null); // in a host, an engine and a service; not started
      org.apache.coyote.Request coyote = new org.apache.coyote.Request();
      coyote.requestURI().setString("/shop/api/users/1042");
      Request received = new Request(new Connector());
      received.setCoyoteRequest(coyote);
      received.getMappingData().context = context;
      received.getMappingData().contextSlashCount = 1;
      request = received.getRequest();
      if (!request.getContextPath().equals("/shop")) {
        throw new IllegalStateException("not in the context: " + request.getContextPath());
      }
    }
  }

  /** A thread whose MDC holds a trace id and a span id, as with Micrometer Tracing. */
  @State(Scope.Thread)
  public static class Traced {
    @Setup(Level.Trial)
    public void setUp() {
      MDC.put("traceId", "5ff7a9277e50c63f94a2de19aacdbcd3");
      MDC.put("spanId", "7d65fa563ac2364f");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      MDC.clear();
    }
  }

  /** The two clock reads that time a request: the floor of anything that times one. */
  @Benchmark
  public long clockReads(Parts parts) {
    long start = parts.clock.monotonicTime();
    return parts.clock.monotonicTime() - start;
  }

  /** One clock read: what the container's receipt time saves at start. */
  @Benchmark
  public long clockRead(Parts parts) {
    return parts.clock.monotonicTime();
  }

  /** When Tomcat received the request, read from its facade as the filter's adapter reads it. */
  @Benchmark
  public long receivedFromTomcat(Parts parts, Tomcat tomcat) {
    return parts.adapter.receivedNanos(tomcat.request);
  }

  /** The route read from a Tomcat request (Spring MVC's attribute is the third of the defaults). */
  @Benchmark
  public Object routeFromTomcat(Parts parts, Tomcat tomcat) {
    return parts.adapter.route(tomcat.request);
  }

  /**
   * One attribute a Tomcat request does not have (the error's, which the filter reads at every
   * finish): Tomcat looks in its special attributes, the request's, then the coyote request's.
   */
  @Benchmark
  public Object attributeMissOnTomcat(Tomcat tomcat) {
    return tomcat.request.getAttribute("jakarta.servlet.error.exception");
  }

  /** The same from Spring's fake request, whose attributes are one map. */
  @Benchmark
  public Object routeFromMock(Parts parts, Mine mine) {
    return parts.adapter.route(mine.request);
  }

  /** The request's one object. */
  @Benchmark
  public Object requestObject(Parts parts, Mine mine) {
    return new InFlightRequest(parts.engine, HttpMethod.GET, mine.started.pathName(), 1L, 0, mine.request,
        Long.MAX_VALUE, null, false);
  }

  /** Publishing into the in-flight registry (a CAS on the thread's home slot) and leaving it. */
  @Benchmark
  public int publishAndLeave(Parts parts, Mine mine) {
    int slot = parts.inFlight.add(mine.started);
    parts.inFlight.remove(slot, mine.started);
    return slot;
  }

  /** The current-request thread-local: the budget the app reads, set and cleared. */
  @Benchmark
  public Object currentRequest(Mine mine) {
    CurrentRequest.bind(mine.started);
    Object current = CurrentRequest.get();
    CurrentRequest.leave(mine.started);
    return current;
  }

  /** The route attribute read at finish (Spring MVC's is the third of the defaults) and its endpoint looked up. */
  @Benchmark
  public Object namingFromRouteAttribute(Parts parts, Mine mine) {
    String route = parts.adapter.route(mine.request);
    return parts.endpoints.get(HttpMethod.GET, EndpointNaming.routeName(route));
  }

  /** The path named at start: the path cache's lookup. */
  @Benchmark
  public Object namingFromPath(Parts parts, Mine mine) {
    return parts.naming.pathName(parts.adapter.path(mine.request));
  }

  /**
   * The path named at start, from a string made for this request, as Tomcat makes its URI's
   * string per request: the path cache's lookup then hashes it first.
   */
  @Benchmark
  public Object namingFromFreshPath(Parts parts, Mine mine) {
    return parts.naming.pathName(new String(mine.uriBytes, StandardCharsets.ISO_8859_1));
  }

  /**
   * What start does with the path now, on a string made for this request: the check that it may be
   * excluded, here with Spring Boot's {@code /actuator/**} excluded; its name waits until asked.
   */
  @Benchmark
  public boolean excludeCheckFreshPath(Parts parts, Mine mine) {
    return parts.bootNaming.mayBeExcluded(new String(mine.uriBytes, StandardCharsets.ISO_8859_1));
  }

  /** What {@link #namingFromFreshPath} spends making the string. */
  @Benchmark
  public Object freshPath(Mine mine) {
    return new String(mine.uriBytes, StandardCharsets.ISO_8859_1);
  }

  /** The path within the web app, from a Tomcat request to the root web app (Spring Boot's). */
  @Benchmark
  public Object pathFromTomcat(Parts parts, Tomcat tomcat) {
    return parts.adapter.path(tomcat.request);
  }

  /** The path within the web app, from a Tomcat request to a web app at {@code /shop}. */
  @Benchmark
  public Object pathFromTomcatInContext(TomcatInContext tomcat) {
    return tomcat.adapter.path(tomcat.request);
  }

  /** The method's name turned into its constant. */
  @Benchmark
  public Object method(Parts parts, Mine mine) {
    return HttpMethod.of(parts.adapter.method(mine.request));
  }

  /** Recording a duration: the report's striped interval cells and the request timer. */
  @Benchmark
  public void recordCells(Parts parts, Mine mine) {
    parts.endpoint.record(200, null, false, mine.elapsed, mine.elapsed, mine.started.startNanos() + mine.elapsed);
  }

  /** The report's part of {@link #recordCells}: its striped interval cells alone. */
  @Benchmark
  public void recordStats(Parts parts, Mine mine) {
    parts.endpoint.stats().record(mine.elapsed, false);
  }

  /** The flag check at finish: the request's budget under its endpoint against its warn level. */
  @Benchmark
  public boolean flagCheck(Parts parts, Mine mine) {
    long budget = mine.started.budgetNanosUnder(parts.endpoint);
    return mine.elapsed >= parts.settings.threshold(FlagLevel.WARN, budget);
  }

  /** The MDC read at start, with no trace ids on it. */
  @Benchmark
  public Object mdcEmpty(Parts parts) {
    return parts.logContext.capture();
  }

  /** The MDC read at start, with a trace id and a span id (two strings kept). */
  @Benchmark
  public Object mdcTraced(Parts parts, Traced traced) {
    return parts.logContext.capture();
  }

  /** Admission with the overload protection on: a place taken in the request's gate, and given back. */
  @Benchmark
  public Object admission(Parts parts, Mine mine) {
    Object refused = parts.admission.admit(mine.started, parts.clock.monotonicTime());
    parts.admission.release(mine.started);
    return refused;
  }

  /** The whole engine: start and finish of one request, as the filter calls them around the chain. */
  @Benchmark
  public Object startAndFinish(Parts parts, Mine mine) {
    InFlightRequest request = parts.engine.start(mine.request);
    parts.engine.finish(request, 200, null);
    return request;
  }

  /** The whole engine with the overload protection on. */
  @Benchmark
  public Object startAndFinishWithAdmission(Parts parts, Mine mine) {
    InFlightRequest request = parts.engineWithAdmission.start(mine.request);
    parts.engineWithAdmission.finish(request, 200, null);
    return request;
  }

  /**
   * What the guarantees alone cost, with none of the engine's logic: the bare operations each
   * promise needs, on lines no other thread writes, as the striped cells are. One clock read at
   * finish (Tomcat's receipt time saves the other), one 64-byte object, a CAS that publishes it to
   * the watchdog and a release store (a plain one on x86) that takes it out, the current-request
   * thread-local set and cleared, a CAS that finishes it once against the watchdog, and the three
   * atomic adds that count it (the report's word, the timer's sum and its bucket).
   */
  @State(Scope.Thread)
  public static class Floor {
    static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();
    static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    static final VarHandle OBJECTS = MethodHandles.arrayElementVarHandle(Object[].class);
    static final VarHandle STATE;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Request.class, "state", int.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Object[] slots = new Object[64];
    final long[] words = new long[64];
    long startNanos = System.nanoTime();

    /** Sixty-four bytes with its header, as {@code InFlightRequest} is. */
    static final class Request {
      final long start;
      volatile int state;
      long a;
      long b;
      long c;
      long d;
      long e;

      Request(long start) {
        this.start = start;
      }
    }
  }

  /** The floor under the whole engine on this machine: see {@link Floor}. */
  @Benchmark
  public long guaranteesAlone(Floor floor) {
    Floor.Request request = new Floor.Request(floor.startNanos);
    Floor.OBJECTS.compareAndSet(floor.slots, 16, null, request);
    Floor.CURRENT.set(request);
    long end = System.nanoTime();
    Floor.CURRENT.set(null);
    Floor.OBJECTS.setRelease(floor.slots, 16, null);
    Floor.STATE.compareAndSet(request, 0, 1);
    long elapsed = end - request.start;
    Floor.LONGS.getAndAdd(floor.words, 24, 1L);
    Floor.LONGS.getAndAdd(floor.words, 32, elapsed);
    Floor.LONGS.getAndAdd(floor.words, 40, 1L);
    return elapsed;
  }
}
