package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.engine.DownstreamCalls;
import dev.requesttiming.core.internal.engine.Endpoint;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.engine.RealDownstreamCall;
import dev.requesttiming.core.internal.metrics.ConnectionPools;
import dev.requesttiming.core.internal.stats.StuckSamples;
import dev.requesttiming.core.internal.util.FailOpen;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Chooses, during a watchdog scan, which requests past {@code stack-trace-at} to sample, then takes
 * their stacks in one pause ({@link StackSampler}) and counts each at its endpoint's {@link
 * StuckSamples} by {@link StuckSite}. A request is sampled when it crosses that level, and every
 * request past it about once a second; at most {@value #MAX_PER_SCAN} a scan.
 *
 * <p>Used by the watchdog thread only.
 */
public final class SlowRequestSampler {

  public static final int MAX_PER_SCAN = 32;
  private static final long EVERY_NANOS = 1_000_000_000L;

  private final @Nullable FlagLevel sampleAt;
  private final Settings settings;
  private final DownstreamCalls downstreamCalls;
  private final StuckSite stuckSite;
  private final FailOpen failOpen;
  private final StackSampler stackSampler = new StackSampler();
  private final InFlightRequest[] requests = new InFlightRequest[MAX_PER_SCAN];
  private final Endpoint[] endpoints = new Endpoint[MAX_PER_SCAN];
  private final Thread[] threads = new Thread[MAX_PER_SCAN];
  private final ConnectionPools pools;
  private int count;
  /** The HikariCP pool's name, looked up in the registry once per scan that needs it. */
  private @Nullable String hikariPool;
  private boolean hikariPoolLooked;
  private long lastRoundNanos;
  private boolean roundDue;

  SlowRequestSampler(Engine engine, long nowNanos) {
    this.settings = engine.settings();
    this.downstreamCalls = engine.downstreamCalls();
    this.sampleAt = settings.stackTraceAt();
    this.pools = engine.connectionPools();
    this.stuckSite = new StuckSite(settings.appPackages(), this::hikariPool);
    this.failOpen = engine.failOpen();
    this.lastRoundNanos = nowNanos - EVERY_NANOS;
  }

  /** Starts a scan at {@code now}: every request past the level is due when a second has passed. */
  void startScan(long now) {
    count = 0;
    roundDue = sampleAt != null && now - lastRoundNanos >= EVERY_NANOS;
    if (roundDue) {
      lastRoundNanos = now;
    }
  }

  /**
   * Notes the request for this scan's samples if it is due.
   *
   * @param flaggedNow the highest level the request was flagged at in this scan, or null
   */
  void consider(InFlightRequest request, Endpoint endpoint, @Nullable FlagLevel flaggedNow, long elapsed, long budget) {
    if (sampleAt == null || count == MAX_PER_SCAN) {
      return;
    }
    boolean crossedNow = flaggedNow != null && flaggedNow.compareTo(sampleAt) >= 0;
    boolean due = roundDue && elapsed >= settings.threshold(sampleAt, budget);
    Thread thread = request.thread(); // async requests have no thread to sample
    if ((crossedNow || due) && thread != null) {
      requests[count] = request;
      endpoints[count] = endpoint;
      threads[count] = thread;
      count++;
    }
  }

  private @Nullable String hikariPool() {
    if (!hikariPoolLooked) {
      hikariPool = pools.hikariPool();
      hikariPoolLooked = true;
    }
    return hikariPool;
  }

  /** Takes the noted requests' stacks, all in one pause, and counts where each one waits. */
  void takeSamples() {
    if (count == 0) {
      return;
    }
    hikariPoolLooked = false;
    try {
      ThreadSample[] samples = stackSampler.sample(threads, count);
      for (int i = 0; i < count; i++) {
        RealDownstreamCall call = downstreamCalls.of(requests[i]);
        StuckSite.Site site = stuckSite.of(samples[i], call == null ? null : call.target());
        // a finished request's thread may serve another request by now: not its site
        if (site != null && !requests[i].isFinished()) {
          endpoints[i].stuck().add(site.key());
          requests[i].stuckAt(site.text());
        }
      }
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("sampling the stacks of slow requests", e);
    } finally {
      Arrays.fill(requests, 0, count, null); // hold no request or thread past its scan
      Arrays.fill(threads, 0, count, null);
      count = 0;
    }
  }
}
