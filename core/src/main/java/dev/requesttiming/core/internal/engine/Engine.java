package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.Refusal;
import dev.requesttiming.core.RequestAdapter;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.metrics.ConnectionPools;
import dev.requesttiming.core.internal.metrics.DurationRecorder;
import dev.requesttiming.core.internal.metrics.Meters;
import dev.requesttiming.core.internal.naming.EndpointNaming;
import dev.requesttiming.core.internal.stats.IntervalStats;
import dev.requesttiming.core.internal.stats.PeakInFlight;
import dev.requesttiming.core.internal.util.FailOpen;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The request path and what the background threads read: starts and finishes requests, names
 * them, keeps them in flight, and records them at their endpoints. The watchdog and the reporter are
 * given the engine and read it through its methods.
 *
 * <ol>
 *   <li>{@link #start} and {@link #finish} may be called from any number of threads at once; they
 *       never throw, never block on a lock shared among requests, and allocate one object.
 *   <li>The other methods may be called from any thread, the watchdog's and the reporter's among
 *       them, while requests run.
 * </ol>
 */
public final class Engine {

  private final Settings settings;
  private final Clock clock;
  /** Whether the clock is {@code System.nanoTime()}'s, which servers note their requests' receipt on. */
  private final boolean systemClock;
  private final FailOpen failOpen;
  private final RequestAdapter<Object> adapter;
  private final EndpointNaming naming;
  private final @Nullable String deadlineHeaderName;
  private final @Nullable DeadlineHeader deadlineHeader;
  private final @Nullable String requestStartHeader;
  private final LogContext logContext;
  private final Meters meters;
  private final @Nullable DurationRecorder queueTimer;
  private final @Nullable Counter queueIgnored;
  /** The queue times of the app's requests, for the report's header. */
  private final IntervalStats queueStats = new IntervalStats();
  private final Workers workers;
  private final @Nullable Admission admission;
  private final Endpoints endpoints;
  private final InFlightRegistry inFlight = new InFlightRegistry();
  private final DownstreamCalls downstreamCalls = new DownstreamCalls();
  private final CompletedFlags completedFlags = new CompletedFlags();
  private final RecentRequests recent;
  /** The most requests in flight at one watchdog scan since the last report, all endpoints. */
  private final PeakInFlight peakInFlight = new PeakInFlight();
  private volatile boolean closed;
  /**
   * Whether the framework names this app's routes (a finished request carried a route template): a
   * request still running without one is then not named by its path, which its route would replace.
   */
  private volatile boolean frameworkNamesRoutes;
  private final ConnectionPools connectionPools;
  /**
   * Wall-clock time minus monotonic time, in microseconds: turns a request's start into the epoch
   * time a proxy's stamp is compared with, without a wall-clock read per request. Read at start and
   * by every watchdog scan ({@link #readWallClock}), so a stepped system clock counts within a scan.
   */
  private volatile long wallMinusMonotonicMicros;
  /** When the proxy in front gives up on a request (the shortest upstream timeout); MAX_VALUE when not known. */
  private final long upstreamGiveUpNanos;

  @SuppressWarnings("unchecked")
  public Engine(MeterRegistry registry, Settings settings, RequestAdapter<?> adapter) {
    this.settings = settings;
    this.clock = clockOf(registry);
    this.systemClock = clock == Clock.SYSTEM;
    this.failOpen = new FailOpen(clock);
    this.adapter = (RequestAdapter<Object>) adapter;
    this.naming = new EndpointNaming(settings);
    this.deadlineHeaderName = settings.deadlineHeader();
    this.deadlineHeader = deadlineHeaderName == null ? null : new DeadlineHeader(deadlineHeaderName);
    this.requestStartHeader = settings.requestStartHeader();
    this.logContext = new LogContext(settings.mdcKeys());
    this.meters = new Meters(registry, settings, clock, failOpen);
    this.endpoints = new Endpoints(settings, meters);
    meters.overallPeakGauge(peakInFlight::read);
    this.queueTimer = requestStartHeader == null ? null : meters.queueTimer();
    this.queueIgnored = requestStartHeader == null ? null : meters.counter(
        meters.names().queue + ".ignored", "Request-start stamps that could not be read, or were older than 10 minutes");
    this.workers = new Workers(settings, meters);
    this.admission = Admission.of(settings, workers);
    this.upstreamGiveUpNanos = settings.upstreamGiveUpNanos();
    this.recent = new RecentRequests(settings.recentRequests());
    this.connectionPools = new ConnectionPools(registry);
    readWallClock();
  }

  /** Reads the wall clock against the monotonic one: at start, and once per watchdog scan. */
  public void readWallClock() {
    wallMinusMonotonicMicros = clock.wallTime() * 1000 - clock.monotonicTime() / 1000;
  }

  private static Clock clockOf(MeterRegistry registry) {
    try {
      return registry.config().clock();
    } catch (RuntimeException | LinkageError e) {
      return Clock.SYSTEM;
    }
  }

  /** Starts timing a request on the current thread; null when it is excluded, or timing is closed or failed. */
  public @Nullable InFlightRequest start(Object request) {
    try {
      if (closed) {
        return null;
      }
      long startNanos = startNanos(request);
      String path = adapter.path(request);
      Object named = path; // named only when something asks: a routed request never needs its path's name
      if (naming.mayBeExcluded(path)) {
        EndpointNaming.PathName pathName = naming.pathName(path);
        if (pathName.excluded()) {
          return null;
        }
        named = pathName;
      }
      String header = deadlineHeaderName;
      long budgetCap = header == null ? Long.MAX_VALUE : Objects.requireNonNull(deadlineHeader).nanos(adapter.header(request, header));
      long queue = requestStartHeader == null ? 0 : queueNanos(adapter.header(request, requestStartHeader), startNanos);
      HttpMethod method = HttpMethod.of(adapter.method(request));
      InFlightRequest started =
          new InFlightRequest(
              this, method, named, startNanos, queue, request, budgetCap,
              logContext.capture(), "https".equalsIgnoreCase(adapter.scheme(request)));
      if (queue > 0 && queue >= Math.min(budgetCap, settings.endpointBudgets().budgetFor(method, started.pathName().uri()).toNanos())) {
        started.markSpent();
      }
      if (queue >= upstreamGiveUpNanos) {
        started.markAbandoned(); // the proxy had answered its client before a worker took the request
      }
      if (admission != null) {
        admit(started, startNanos);
      }
      started.slot(inFlight.add(started));
      CurrentRequest.bind(started);
      return started;
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("starting a request", e);
      return null;
    }
  }

  /** When the server received the request where it says so, else now: one clock read fewer where it does. */
  private long startNanos(Object request) {
    if (systemClock) {
      long received = adapter.receivedNanos(request);
      if (received != RequestAdapter.NOT_KNOWN) {
        return received;
      }
    }
    return clock.monotonicTime();
  }

  /** Admission control decides before the request is published; one spent and shed anyway takes no place. */
  private void admit(InFlightRequest started, long nowNanos) {
    Admission control = Objects.requireNonNull(admission);
    if (started.isSpent() && settings.shedSpent()) {
      return;
    }
    ShedReason refused = control.admit(started, nowNanos);
    if (refused != null) {
      started.markRefused(refused);
    }
  }

  /** The time a request waited since the proxy's stamp, recorded; 0 without a stamp or with an unusable one. */
  private long queueNanos(@Nullable String stamp, long nowNanos) {
    if (stamp == null) {
      return 0;
    }
    long queue = RequestStartHeader.queueNanos(stamp, nowNanos / 1000 + wallMinusMonotonicMicros);
    if (queue == RequestStartHeader.UNUSABLE) {
      if (queueIgnored != null) {
        queueIgnored.increment();
      }
      return 0;
    }
    queueStats.record(queue, false);
    if (queueTimer != null) {
      queueTimer.record(queue, nowNanos);
    }
    return queue;
  }

  /**
   * How to answer the request if it is to be refused, decided as it started and given once; null to
   * run the app. Never throws.
   */
  public @Nullable Refusal refusal(InFlightRequest request) {
    try {
      if (!shed(request)) {
        return null;
      }
      ShedReason reason = Objects.requireNonNull(request.shedReason());
      int retryAfter = retryAfterSeconds(request);
      return new Refusal(reason.tag(), retryAfter, "503 Service Unavailable: " + reason.why() + "; retry after "
          + retryAfter + (retryAfter == 1 ? " second" : " seconds") + ".\n");
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("deciding whether to shed a request", e);
      return null;
    }
  }

  /**
   * Whether to answer a request 503 at once, unrun: admission control refused it, or {@code
   * shed-spent} is on and its budget was spent before it started. True only once; it is counted as
   * shed, with its reason, when it finishes.
   */
  private boolean shed(InFlightRequest request) {
    return (request.isRefused() || (request.isSpent() && settings.shedSpent())) && request.claimShed();
  }

  /**
   * The {@code Retry-After} of a shed request, in whole seconds, at least 1: for a spent budget the
   * time it waited (workers should be free by then), else what its endpoint typically takes.
   */
  private int retryAfterSeconds(InFlightRequest request) {
    Endpoint endpoint = admission == null ? null : admission.endpointOf(request);
    long nanos = request.shedReason() == ShedReason.SPENT || endpoint == null
        ? request.queueNanos()
        : endpoint.typicalNanos();
    return (int) Math.max(1, Math.min(3600, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  /** Its client went away before the answer: counted as abandoned when it finishes. */
  public void clientGone(InFlightRequest request) {
    request.markAbandoned();
  }

  /** Ends the timing of a request and records it under its final name; later calls are ignored. */
  public void finish(InFlightRequest request, int status, @Nullable Throwable error) {
    long endNanos = clock.monotonicTime();
    try {
      CurrentRequest.leave(request);
      if (!request.markFinished()) {
        return;
      }
      Gate gate = admission != null && request.isAdmitted() ? admission.release(request) : null;
      Endpoint flaggedInFlight = request.flaggedEndpoint();
      inFlight.remove(request.slot(), request);
      request.stopActive();
      if (closed) {
        return;
      }
      Endpoint endpoint = finalEndpoint(request, status);
      long elapsed = endNanos - request.startNanos(); // from the proxy's stamp, where there is one
      endpoint.record(status, error, request.isSecure(), elapsed, elapsed - request.queueNanos(), endNanos);
      ShedReason shed = request.shedReason();
      if (shed != null) {
        endpoint.countShed(shed);
      }
      if (gate != null && status < 400) {
        gate.learn(endpoint); // what its gate's requests turn out to be: its typical time, its refusals' name
      }
      if (request.isAbandoned()) {
        endpoint.countAbandoned();
      }
      // one request, one name: flags keep the endpoint the watchdog first flagged it under
      Endpoint flaggedUnder = flaggedInFlight != null ? flaggedInFlight : endpoint;
      long budget = request.budgetNanosUnder(flaggedUnder);
      if (elapsed >= settings.threshold(FlagLevel.WARN, budget)) {
        completedFlags.raise(request, flaggedUnder, elapsed, budget, status);
        recent.add(recentEntry(request, flaggedUnder.uri(), elapsed, budget, status));
      }
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("finishing a request", e);
    }
  }

  /** A request that finished past its warn level, as the live view keeps it. */
  private RecentRequests.Entry recentEntry(InFlightRequest request, String uri, long elapsed, long budget, int status) {
    return new RecentRequests.Entry(
        clock.wallTime(), request.id(), request.method().name(), uri, elapsed, budget, request.queueNanos(), status,
        settings.levelAt(elapsed, budget), request.stuckAt(), logContext.first(request.logContext()),
        request.isAbandoned());
  }

  /** The endpoint a finished request is recorded under; a known route template costs one lookup. */
  private Endpoint finalEndpoint(InFlightRequest request, int status) {
    if (request.isShed() && admission != null) {
      Endpoint learned = admission.endpointOf(request); // unrun: its gate's endpoint, once one of it finished
      if (learned != null) {
        return learned;
      }
    }
    String route = currentRoute(request);
    if (route == null && request.isShed() && frameworkNamesRoutes) {
      return endpoints.get(request.method(), EndpointNaming.UNKNOWN); // never routed: no name made from its path
    }
    if (route != null) {
      if (!frameworkNamesRoutes) {
        frameworkNamesRoutes = true; // written once: no request writes a shared field after that
      }
      Endpoint known = endpoints.existing(request.method(), route);
      if (known != null) {
        return known; // its uri is the route itself, so the route needed no escaping
      }
    }
    return endpoints.get(request.method(), EndpointNaming.finalUri(request.method(), request.pathName(), route, status));
  }

  /** The request goes on asynchronously: its thread is no longer the one to look at, and its budget leaves it. */
  public void continueAsync(InFlightRequest request) {
    request.leftThread();
    CurrentRequest.leave(request);
  }

  /** The running request started with {@code carrier} (the same object); null when none runs. */
  public @Nullable InFlightRequest runningWith(Object carrier) {
    return inFlight.find(r -> r.carrier() == carrier && !r.isFinished());
  }

  /** A running request's budget: its endpoint's as named now, or the caller's if tighter. */
  public long budgetNanos(InFlightRequest request) {
    Endpoint flagged = request.flaggedEndpoint();
    if (flagged != null) {
      return request.budgetNanosUnder(flagged); // its name since its first flag: no lookup
    }
    try {
      String uri = runningName(request).uri();
      Endpoint known = endpoints.existing(request.method(), uri);
      long endpointNanos =
          known != null ? known.budgetNanos() : settings.endpointBudgets().budgetFor(request.method(), uri).toNanos();
      return Math.min(endpointNanos, request.budgetCapNanos());
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("reading a request's budget", e);
      return Math.min(settings.budget().toNanos(), request.budgetCapNanos());
    }
  }

  /**
   * The best name of a running request now: the endpoint it was flagged under, else its route
   * template if set yet, else its path's name.
   */
  public EndpointNaming.PathName runningName(InFlightRequest request) {
    Endpoint flagged = request.flaggedEndpoint();
    if (flagged != null) {
      return new EndpointNaming.PathName(flagged.uri(), true, false);
    }
    String route = currentRoute(request);
    return route != null ? new EndpointNaming.PathName(EndpointNaming.routeName(route), true, false) : request.pathName();
  }

  /** Whether a request without a route template may be named by its path while it runs. */
  public boolean namesRunningRequestsByPath() {
    return !frameworkNamesRoutes;
  }

  /** The route template of a running request, as the adapter reads it; null if none. */
  public @Nullable String currentRoute(InFlightRequest request) {
    try {
      return adapter.route(request.carrier());
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("reading a running request's route", e);
      return null;
    }
  }

  /** Requests started from now on are not timed, and finished ones not recorded. */
  public void close() {
    closed = true;
  }

  /** Removes every meter this engine registered. */
  public void removeMeters() {
    meters.removeAll();
  }

  /** The app's connection pools, as their gauges in the registry tell them: for naming what slow requests wait for. */
  public ConnectionPools connectionPools() {
    return connectionPools;
  }

  public Settings settings() {
    return settings;
  }

  /** Names paths; a request names its own when first asked ({@link InFlightRequest#pathName}). */
  EndpointNaming naming() {
    return naming;
  }

  public Clock clock() {
    return clock;
  }

  public FailOpen failOpen() {
    return failOpen;
  }

  public LogContext logContext() {
    return logContext;
  }

  public Endpoints endpoints() {
    return endpoints;
  }

  public InFlightRegistry inFlight() {
    return inFlight;
  }

  public DownstreamCalls downstreamCalls() {
    return downstreamCalls;
  }

  public RecentRequests recent() {
    return recent;
  }

  public CompletedFlags completedFlags() {
    return completedFlags;
  }

  /** The most requests in flight at one scan since the last report, all endpoints. */
  public PeakInFlight peakInFlight() {
    return peakInFlight;
  }

  /** The queue times of the app's requests (with {@code request-start-header}), for the report. */
  public IntervalStats queueStats() {
    return queueStats;
  }

  /** Admission control under overload; null when none of its parameters is set. */
  public @Nullable Admission admission() {
    return admission;
  }

  /** The workers serving the requests: their limit, busy count and saturated time. */
  public Workers workers() {
    return workers;
  }
}
