package dev.requesttiming.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Scans the requests in flight and flags each the first time it crosses a level of its budget, so
 * that a request killed by the worker supervisor still leaves its trace (DESIGN §5).
 *
 * <p>It also keeps {@code http.server.requests.active} off the request path: every request it
 * finds in flight is counted there from that scan on, under the best name known then, until the
 * request finishes. Requests shorter than a scan interval are mostly never seen, and an active
 * request's age is under-counted by at most one interval. From the same counts it keeps each
 * endpoint's and the app's peak of requests in flight at once.
 *
 * <p>It samples the stacks of requests past {@code stack-trace-at} into their endpoint's {@link
 * StuckSamples}: where slow requests wait, for the report and the flag summaries. Each request is
 * sampled when it crosses that level, and every request past it about once a second; at most
 * {@value #MAX_SAMPLES_PER_SCAN} samples a scan.
 *
 * <p>{@link #scan} runs on one thread at a time (the watchdog thread, or a test driving a clock);
 * it costs O(slots in use) plus the bounded samples, taken in one pause ({@link StackSampler}), and survives any exception, which it hands to
 * {@link FailOpen}.
 */
final class Watchdog implements Runnable {

  static final int MAX_SAMPLES_PER_SCAN = 32;
  private static final long SAMPLE_EVERY_NANOS = 1_000_000_000L;

  private final RequestTiming timing;
  private final BudgetFlags flags;
  private final long earliestWarnNanos;
  private final @Nullable FlagLevel sampleAt;
  private final StuckSite stuckSite;
  private final StackSampler stackSampler = new StackSampler();
  private final RequestBudget[] toSample = new RequestBudget[MAX_SAMPLES_PER_SCAN];
  private final Endpoint[] toSampleAt = new Endpoint[MAX_SAMPLES_PER_SCAN];
  private final Thread[] toSampleOn = new Thread[MAX_SAMPLES_PER_SCAN];
  private int sampleCount;
  private final Consumer<RequestBudget> check = this::check;
  private final List<Endpoint> countedInScan = new ArrayList<>();
  private long now;
  private int inFlightInScan;
  private long lastSampleNanos;
  private boolean sampling;

  Watchdog(RequestTiming timing, BudgetFlags flags) {
    this.timing = timing;
    this.flags = flags;
    this.earliestWarnNanos =
        flags.threshold(FlagLevel.WARN, timing.config.endpointBudgets().smallest().toNanos());
    this.sampleAt = timing.config.stackTraceAt();
    this.stuckSite = new StuckSite(timing.config.appPackages());
    this.lastSampleNanos = timing.clock.monotonicTime() - SAMPLE_EVERY_NANOS;
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
    sampling = sampleAt != null && now - lastSampleNanos >= SAMPLE_EVERY_NANOS;
    if (sampling) {
      lastSampleNanos = now;
    }
    sampleCount = 0;
    inFlightInScan = 0;
    timing.inFlight.forEach(check);
    recordPeaks();
    takeSamples();
    flags.logQueued();
  }

  private void recordPeaks() {
    for (Endpoint endpoint : countedInScan) {
      int counted = endpoint.inScan;
      endpoint.peakInFlight.accumulateAndGet(counted, Math::max);
      endpoint.inScan = 0;
    }
    countedInScan.clear();
    int all = inFlightInScan;
    timing.peakInFlight.accumulateAndGet(all, Math::max);
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
      inFlightInScan++;
      long elapsed = now - request.startNanos;
      boolean firstSeen = request.claimSeenByWatchdog();
      boolean mayFlag =
          elapsed >= earliestWarnNanos || elapsed >= flags.threshold(FlagLevel.WARN, request.budgetCapNanos);
      if (!firstSeen && !mayFlag) {
        countInScan(request.activeEndpoint());
        return;
      }
      EndpointNaming.PathName name = timing.runningName(request);
      // a request old enough to be flagged names its endpoint, before it is counted in flight there
      Endpoint endpoint = mayFlag ? timing.endpoints.get(request.method, name.uri()) : null;
      if (firstSeen) {
        request.startActive(activeEndpoint(request, name));
      }
      countInScan(request.activeEndpoint());
      if (endpoint != null) {
        long budget = request.budgetNanosUnder(endpoint);
        FlagLevel flagged = flags.inFlight(request, endpoint, elapsed, budget);
        boolean crossedNow = flagged != null && sampleAt != null && flagged.compareTo(sampleAt) >= 0;
        boolean dueNow = sampling && sampleAt != null && elapsed >= flags.threshold(sampleAt, budget);
        if ((crossedNow || dueNow) && sampleCount < MAX_SAMPLES_PER_SCAN) {
          chooseForSample(request, endpoint);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("checking a running request", e);
    }
  }

  private void countInScan(@Nullable Endpoint endpoint) {
    if (endpoint != null && endpoint.inScan++ == 0) {
      countedInScan.add(endpoint);
    }
  }

  /** Notes the request for this scan's samples; async requests have no thread to sample. */
  private void chooseForSample(RequestBudget request, Endpoint endpoint) {
    Thread thread = request.thread;
    if (thread != null) {
      toSample[sampleCount] = request;
      toSampleAt[sampleCount] = endpoint;
      toSampleOn[sampleCount] = thread;
      sampleCount++;
    }
  }

  /** Adds where the chosen requests' threads are now to their endpoints' samples: one pause for all. */
  private void takeSamples() {
    if (sampleCount == 0) {
      return;
    }
    try {
      StackTraceElement[][] stacks = stackSampler.stacks(toSampleOn, sampleCount);
      for (int i = 0; i < sampleCount; i++) {
        String site = stuckSite.of(stacks[i]);
        // a finished request's thread may serve another request by now: not its site
        if (site != null && !toSample[i].isFinished()) {
          toSampleAt[i].stuck.add(site);
        }
      }
    } catch (RuntimeException | LinkageError e) {
      timing.failOpen.failed("sampling the stacks of slow requests", e);
    } finally {
      java.util.Arrays.fill(toSample, 0, sampleCount, null); // hold no request past its scan
      java.util.Arrays.fill(toSampleOn, 0, sampleCount, null);
      sampleCount = 0;
    }
  }
}
