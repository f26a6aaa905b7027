package dev.requesttiming.core;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The engine behind an adapter: names endpoints, records Micrometer meters and watches requests in
 * flight against their budgets. One instance per filter; {@link #close()} stops its threads and
 * removes its meters.
 *
 * <ol>
 *   <li>{@link #start} and {@link #finish} may be called from any number of threads
 *       at once; they never throw, never block on a lock shared among requests, and allocate little.
 *   <li>{@link #close} may be called once from any thread; requests finished afterwards are ignored.
 * </ol>
 */
public final class RequestTiming implements AutoCloseable {

  /** Reads the route template a framework left on a request while it runs, e.g. a request attribute. */
  @FunctionalInterface
  public interface RouteLookup {
    /** The route template of the request, or null when none is known (yet). */
    @Nullable String route(Object carrier);
  }

  final RequestTimingConfig config;
  final Clock clock;
  final FailOpen failOpen;
  private final RouteLookup routeLookup;
  private final EndpointNaming naming;
  private final @Nullable DeadlineHeader deadlineHeader;
  final LogContext logContext;
  private final Meters meters;
  final Endpoints endpoints;
  final InFlightRegistry inFlight = new InFlightRegistry();
  final DownstreamCalls downstreamCalls = new DownstreamCalls();
  /** The most requests in flight at one watchdog scan since the last report, all endpoints. */
  final AtomicInteger peakInFlight = new AtomicInteger();
  final BudgetFlags flags;
  final Watchdog watchdog;
  private final Background watchdogThread;
  final Reporter reporter;
  private final Background reporterThread;
  private volatile boolean closed;
  /**
   * Whether the framework names this app's routes (a finished request carried a route template): a
   * request still running without one is then not named by its path, which its route would replace.
   */
  private volatile boolean frameworkNamesRoutes;

  private RequestTiming(MeterRegistry registry, RequestTimingConfig config, RouteLookup routeLookup) {
    this.config = config;
    this.clock = clockOf(registry);
    this.failOpen = new FailOpen(clock);
    this.routeLookup = routeLookup;
    this.naming = new EndpointNaming(config);
    String header = config.deadlineHeader();
    this.deadlineHeader = header == null ? null : new DeadlineHeader(header);
    this.logContext = new LogContext(config.mdcKeys());
    this.meters = new Meters(registry, config, clock, failOpen);
    this.endpoints = new Endpoints(config, meters);
    meters.overallPeakGauge(peakInFlight);
    this.flags = new BudgetFlags(config, logContext, downstreamCalls, clock, failOpen);
    this.watchdog = new Watchdog(this, flags);
    this.watchdogThread = new Background("request-timing-watchdog", watchdog, config.watchdogInterval());
    this.reporter = new Reporter(this);
    this.reporterThread = new Background("request-timing-reporter", reporter, config.intervalOfReports());
  }

  private static Clock clockOf(MeterRegistry registry) {
    try {
      return registry.config().clock();
    } catch (RuntimeException | LinkageError e) {
      return Clock.SYSTEM;
    }
  }

  /**
   * Creates an instance recording into {@code registry}, with time from the registry's clock.
   *
   * @param routeLookup reads a running request's route template from the carrier given to {@link
   *     #start}
   * @throws NullPointerException if an argument is null
   */
  public static RequestTiming create(
      MeterRegistry registry, RequestTimingConfig config, RouteLookup routeLookup) {
    Objects.requireNonNull(registry, "registry == null");
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(routeLookup, "routeLookup == null");
    StartupLog.log(config);
    return new RequestTiming(registry, config, routeLookup);
  }

  /**
   * Starts timing a request on the current thread, which gets its {@link RequestBudget}. Never
   * throws.
   *
   * @param method the HTTP method as received
   * @param scheme {@code http} or {@code https} (OpenTelemetry's {@code url.scheme}; other values
   *     count as http)
   * @param path the request path within the app: without the query string or a context path
   * @param carrier the framework's request, handed to the {@link RouteLookup}
   * @param deadlineHeader the value of the configured {@code deadline-header}, or null
   * @return the request to finish later, or null when the path is excluded or timing failed
   */
  public @Nullable RequestBudget start(
      String method, String scheme, String path, Object carrier, @Nullable String deadlineHeader) {
    long startNanos = clock.monotonicTime();
    try {
      if (closed) {
        return null;
      }
      EndpointNaming.PathName pathName = naming.pathName(path);
      if (pathName.excluded()) {
        return null;
      }
      HttpMethod httpMethod = HttpMethod.of(method);
      RequestBudget request =
          new RequestBudget(this, httpMethod, pathName, startNanos, carrier);
      if ("https".equalsIgnoreCase(scheme)) {
        request.markSecure();
      }
      if (deadlineHeader != null && this.deadlineHeader != null) {
        request.budgetCapNanos = this.deadlineHeader.nanos(deadlineHeader);
      }
      request.logContext = logContext.capture();
      request.slot = inFlight.add(request);
      request.bind();
      return request;
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("starting a request", e);
      return null;
    }
  }

  /** {@link #start(String, String, String, Object, String)} of an http request. */
  public @Nullable RequestBudget start(
      String method, String path, Object carrier, @Nullable String deadlineHeader) {
    return start(method, "http", path, carrier, deadlineHeader);
  }

  /** {@link #start(String, String, String, Object, String)} of an http request without a deadline header. */
  public @Nullable RequestBudget start(String method, String path, Object carrier) {
    return start(method, path, carrier, null);
  }

  /**
   * Ends the timing of a request and records it under its final name (its route template is read
   * through the {@link RouteLookup} now). Call it once per started request, from any thread; later
   * calls are ignored. Never throws.
   *
   * @param request what {@link #start} returned
   * @param status the response status
   * @param error the exception the request ended with, or null
   */
  public void finish(RequestBudget request, int status, @Nullable Throwable error) {
    long endNanos = clock.monotonicTime();
    try {
      request.leaveThread();
      if (!request.markFinished()) {
        return;
      }
      Endpoint flaggedInFlight = request.flaggedEndpoint(); // before stopActive clears it
      inFlight.remove(request.slot, request);
      request.stopActive();
      if (closed) {
        return;
      }
      Endpoint endpoint = finalEndpoint(request, status);
      long elapsed = endNanos - request.startNanos;
      endpoint.record(status, error, request.isSecure(), elapsed);
      // one request, one name: flags keep the endpoint the watchdog first flagged it under
      Endpoint flaggedUnder = flaggedInFlight != null ? flaggedInFlight : endpoint;
      flags.atCompletion(request, flaggedUnder, elapsed, request.budgetNanosUnder(flaggedUnder), status);
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("finishing a request", e);
    }
  }

  /** The endpoint a finished request is recorded under; a known route template costs one lookup. */
  private Endpoint finalEndpoint(RequestBudget request, int status) {
    String route = currentRoute(request);
    if (route != null) {
      if (!frameworkNamesRoutes) {
        frameworkNamesRoutes = true; // written once: no request writes a shared field after that
      }
      Endpoint known = endpoints.existing(request.method, route);
      if (known != null) {
        return known; // its uri is the route itself, so the route needed no escaping
      }
    }
    return endpoints.get(request.method, EndpointNaming.finalUri(request.method, request.pathName, route, status));
  }

  /**
   * Says that the request goes on asynchronously: its original thread is no longer the one to look
   * at when it runs long, and its budget leaves that thread. Call it on the request thread when the
   * framework's handler returns with the request still open.
   */
  public void continueAsync(RequestBudget request) {
    request.thread = null;
    request.leaveThread();
  }

  /**
   * The budget of the running request that was started with {@code carrier} (the same object), from
   * any thread; an unlimited budget when none runs. It looks through the requests in flight (a few
   * microseconds): for a handler that went on on another thread, not for every call there — wrap such
   * work with {@link RequestBudget#wrap(Runnable)} instead, which also makes its calls inherit the budget.
   */
  public RequestBudget budgetOf(Object carrier) {
    try {
      Objects.requireNonNull(carrier, "carrier == null");
      RequestBudget running = inFlight.find(r -> r.carrier == carrier && !r.isFinished());
      return running != null ? running : RequestBudget.unlimited();
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("looking up a request's budget", e);
      return RequestBudget.unlimited();
    }
  }

  /** A running request's budget: its endpoint's as named now, or the caller's if tighter. */
  long budgetNanos(RequestBudget request) {
    try {
      String uri = runningName(request).uri();
      Endpoint known = endpoints.existing(request.method, uri);
      long endpointNanos =
          known != null
              ? known.budgetNanos
              : config.endpointBudgets().budgetFor(request.method, uri).toNanos();
      return Math.min(endpointNanos, request.budgetCapNanos);
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("reading a request's budget", e);
      return Math.min(config.budget().toNanos(), request.budgetCapNanos);
    }
  }

  /**
   * The best name of a running request now: the endpoint it was flagged under, else its route
   * template if set yet, else its path's name.
   */
  EndpointNaming.PathName runningName(RequestBudget request) {
    Endpoint flagged = request.flaggedEndpoint();
    if (flagged != null) {
      return new EndpointNaming.PathName(flagged.uri, true, false);
    }
    String route = currentRoute(request);
    EndpointNaming.PathName pathName = Objects.requireNonNull(request.pathName, "pathName");
    return route != null
        ? new EndpointNaming.PathName(EndpointNaming.routeName(route), true, false)
        : pathName;
  }

  /** Whether a request without a route template may be named by its path while it runs. */
  boolean namesRunningRequestsByPath() {
    return !frameworkNamesRoutes;
  }

  /** The route template of a running request, as the adapter's lookup reads it; null if none. */
  @Nullable String currentRoute(RequestBudget request) {
    Object carrier = request.carrier;
    if (carrier == null) {
      return null;
    }
    try {
      return routeLookup.route(carrier);
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("reading a running request's route", e);
      return null;
    }
  }

  /**
   * Reports a failure in an adapter's own code so that it is counted and logged like the core's:
   * at most once a minute. Never throws.
   */
  public void failedOpen(String where, Throwable error) {
    failOpen.failed(where, error);
  }

  /**
   * The last slow-endpoint report logged (every {@code report-interval}), or null before the first
   * interval with traffic has ended.
   */
  public @Nullable Report lastReport() {
    return reporter.lastReport();
  }

  /**
   * A report of everything since start, all endpoints ranked by budget pressure, taken now; for an
   * admin endpoint. It does not disturb the periodic reports.
   */
  public Report snapshot() {
    return reporter.cumulative();
  }

  /**
   * Stops the background threads, logs the report of the last partial interval (when reports are
   * on and there was traffic) and removes the meters this instance registered. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    watchdogThread.stop();
    flags.logQueued();
    reporterThread.stop();
    reporter.run();
    meters.removeAll();
  }
}
