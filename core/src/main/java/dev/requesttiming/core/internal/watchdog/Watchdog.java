package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.engine.Endpoint;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.naming.EndpointNaming;
import dev.requesttiming.core.internal.util.FailOpen;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Scans the requests in flight and flags each the first time it crosses a level of its budget, so
 * that a request killed by the worker supervisor still leaves its trace.
 *
 * <p>It also keeps {@code http.server.requests.active} off the request path: every request it
 * finds in flight is counted there from that scan on, under the best name known then, until the
 * request finishes. Requests shorter than a scan interval are mostly never seen, and an active
 * request's age is under-counted by at most one interval. From the same counts it keeps each
 * endpoint's and the app's peak of requests in flight at once.
 *
 * <p>Its {@link SlowRequestSampler} samples where requests past {@code stack-trace-at} wait, for the
 * report and the flag summaries. It watches the workers' fill ({@link Saturation}) and, with
 * admission control on, the endpoints' refusals ({@link RefusalEpisodes}) and, four times a second, what
 * each endpoint typically takes.
 *
 * <p>{@link #scan} runs on one thread at a time (the watchdog thread, or a test driving a clock);
 * it costs O(slots in use) plus a bounded batch of stack samples, and survives any exception, which
 * it hands to {@link FailOpen}.
 */
public final class Watchdog implements Runnable {

  /** How often what each endpoint typically takes is taken anew. */
  private static final long TYPICAL_EVERY_NANOS = 250_000_000L;

  private final Engine engine;
  private final Settings settings;
  private final BudgetFlags flags;
  private final long earliestWarnNanos;
  private final SlowRequestSampler sampler;
  private final Consumer<InFlightRequest> check = this::check;
  private final List<Endpoint> countedInScan = new ArrayList<>();
  private final Saturation saturation;
  private final @Nullable RefusalEpisodes refusals;
  private long typicalTakenAt;
  private long now;
  private int inFlightInScan;
  private long longestQueueInScan;

  public Watchdog(Engine engine, BudgetFlags flags) {
    this.engine = engine;
    this.settings = engine.settings();
    this.flags = flags;
    this.earliestWarnNanos = settings.threshold(FlagLevel.WARN, settings.endpointBudgets().smallest().toNanos());
    this.sampler = new SlowRequestSampler(engine, engine.clock().monotonicTime());
    this.saturation = new Saturation(engine);
    this.refusals = engine.admission() == null ? null : new RefusalEpisodes(engine, engine.admission());
    this.typicalTakenAt = engine.clock().monotonicTime();
  }

  @Override
  public void run() {
    try {
      scan();
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("the watchdog's scan", e);
    }
  }

  /** One scan of the requests in flight; on the watchdog thread, or a test's. */
  public void scan() {
    engine.readWallClock();
    now = engine.clock().monotonicTime();
    sampler.startScan(now);
    inFlightInScan = 0;
    longestQueueInScan = 0;
    engine.inFlight().forEach(check);
    recordPeaks();
    sampler.takeSamples();
    flags.logQueued();
  }

  private void recordPeaks() {
    for (Endpoint endpoint : countedInScan) {
      int inScan = endpoint.takeInScan();
      endpoint.peakInFlight().raise(inScan);
    }
    countedInScan.clear();
    engine.peakInFlight().raise(inFlightInScan);
    saturation.afterScan(now, inFlightInScan, longestQueueInScan);
    if (refusals != null) {
      refusals.afterScan(now);
      if (now - typicalTakenAt >= TYPICAL_EVERY_NANOS) {
        typicalTakenAt = now;
        engine.endpoints().all().forEach(Endpoint::updateTypical);
      }
    }
  }

  /**
   * Where a running request is counted as active: under a name known to be bounded (a route
   * template, or an endpoint that has finished requests before), else {@code UNKNOWN}, so that
   * in-flight requests of scanners create no endpoints.
   */
  private Endpoint activeEndpoint(InFlightRequest request, EndpointNaming.PathName name) {
    Endpoint known = engine.endpoints().existing(request.method(), name.uri());
    if (known != null) {
      return known;
    }
    return engine.endpoints().get(request.method(), name.template() ? name.uri() : EndpointNaming.UNKNOWN);
  }

  /**
   * The endpoint a running request's flags count under: the one it was first flagged under; else its
   * route template; else, where the framework names routes, what {@link #activeEndpoint} names (its
   * path would be replaced by its route); else its path's name.
   */
  private Endpoint flagEndpoint(InFlightRequest request, EndpointNaming.PathName name) {
    Endpoint flagged = request.flaggedEndpoint();
    if (flagged != null) {
      return flagged;
    }
    return name.template() || engine.namesRunningRequestsByPath()
        ? engine.endpoints().get(request.method(), name.uri())
        : activeEndpoint(request, name);
  }

  private void check(InFlightRequest request) {
    try {
      if (request.isFinished()) {
        return;
      }
      inFlightInScan++;
      longestQueueInScan = Math.max(longestQueueInScan, request.queueNanos());
      // a request that started during this scan: at least its wait for a worker
      long elapsed = Math.max(now - request.startNanos(), request.queueNanos());
      boolean firstSeen = request.claimSeenByWatchdog();
      boolean mayFlag =
          elapsed >= earliestWarnNanos || elapsed >= settings.threshold(FlagLevel.WARN, request.budgetCapNanos());
      if (!firstSeen && !mayFlag) {
        countInScan(request.activeEndpoint());
        return;
      }
      EndpointNaming.PathName name = engine.runningName(request);
      // a request old enough to be flagged names its endpoint, before it is counted in flight there
      Endpoint endpoint = mayFlag ? flagEndpoint(request, name) : null;
      if (firstSeen) {
        request.startActive(activeEndpoint(request, name));
      }
      countInScan(request.activeEndpoint());
      if (endpoint != null) {
        long budget = request.budgetNanosUnder(endpoint);
        if (elapsed >= settings.threshold(FlagLevel.WARN, budget)) {
          request.flagUnder(endpoint); // its first flag's name is its name in every flag after it
        }
        FlagLevel flagged = flags.inFlight(request, endpoint, elapsed, budget);
        sampler.consider(request, endpoint, flagged, elapsed, budget);
      }
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("checking a running request", e);
    }
  }

  private void countInScan(@Nullable Endpoint endpoint) {
    if (endpoint != null && endpoint.addInScan() == 0) {
      countedInScan.add(endpoint);
    }
  }
}
