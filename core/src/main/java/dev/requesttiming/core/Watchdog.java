package dev.requesttiming.core;

import java.util.function.Consumer;

/**
 * Scans the requests in flight and flags each the first time it crosses a level of its budget, so
 * that a request killed by the worker supervisor still leaves its trace (DESIGN §5).
 *
 * <p>It also keeps {@code http.server.requests.active} off the request path: every request it
 * finds in flight is counted there from that scan on, under the best name known then, until the
 * request finishes. Requests shorter than a scan interval are mostly never seen, and an active
 * request's age is under-counted by at most one interval.
 *
 * <p>{@link #scan} runs on one thread at a time (the watchdog thread, or a test driving a clock);
 * it costs O(slots in use) and survives any exception, which it hands to {@link FailOpen}.
 */
final class Watchdog implements Runnable {

  private final RequestTiming timing;
  private final BudgetFlags flags;
  private final long earliestWarnNanos;
  private final Consumer<RequestBudget> check = this::check;
  private long now;

  Watchdog(RequestTiming timing, BudgetFlags flags) {
    this.timing = timing;
    this.flags = flags;
    this.earliestWarnNanos =
        flags.threshold(FlagLevel.WARN, timing.config.endpointBudgets().smallest().toNanos());
  }

  @Override
  public void run() {
    try {
      scan();
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("the watchdog's scan", e);
    }
  }

  void scan() {
    now = timing.clock.monotonicTime();
    timing.inFlight.forEach(check);
    flags.logQueued();
  }

  /**
   * Where a running request is counted as active: under a name known to be bounded (a route
   * template, or an endpoint that has finished requests before), else {@code UNKNOWN}, so that
   * in-flight requests of scanners create no endpoints.
   */
  private Endpoint activeEndpoint(RequestBudget request, EndpointNaming.PathName name) {
    Endpoint known = timing.endpoints.existing(request.method, name.uri());
    if (known != null) {
      return known;
    }
    return timing.endpoints.get(request.method, name.template() ? name.uri() : EndpointNaming.UNKNOWN);
  }

  private void check(RequestBudget request) {
    try {
      if (request.isFinished()) {
        return;
      }
      long elapsed = now - request.startNanos;
      boolean firstSeen = request.claimSeenByWatchdog();
      boolean mayFlag =
          elapsed >= earliestWarnNanos || elapsed >= flags.threshold(FlagLevel.WARN, request.budgetCapNanos);
      if (!firstSeen && !mayFlag) {
        return;
      }
      EndpointNaming.PathName name = timing.runningName(request);
      if (firstSeen) {
        request.startActive(activeEndpoint(request, name));
      }
      if (mayFlag) {
        Endpoint endpoint = timing.endpoints.get(request.method, name.uri());
        flags.inFlight(request, endpoint, elapsed, request.budgetNanosUnder(endpoint));
      }
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("checking a running request", e);
    }
  }
}
