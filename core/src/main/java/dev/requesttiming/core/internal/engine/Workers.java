package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.metrics.Meters;
import dev.requesttiming.core.internal.util.Loggers;
import io.micrometer.core.instrument.Counter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The workers that serve the timed requests: their limit (configured with {@code worker-limit}, or
 * detected by the adapter from the container's pool), how many were busy at the watchdog's last
 * scan (our own count of requests in flight), and how long they were saturated in the current
 * report interval. Gauges {@code http.server.requests.workers.busy} and {@code .limit}.
 *
 * <p>Thread-safe: the adapter sets the limit and the waiting probe once, the watchdog writes the
 * rest, the reporter takes the saturated time; request threads only read it, and only when
 * admission control asks whether others wait.
 */
public final class Workers {

  /** A limit that is not known. */
  public static final int UNKNOWN = 0;
  /** No pool: every request gets a thread of its own (virtual threads). */
  public static final int NO_POOL = -1;

  private final boolean configured;
  private final double saturatedAt;
  private final @Nullable Double endpointShare;
  private volatile int limit;
  private volatile String source;
  private final AtomicInteger busy = new AtomicInteger();
  private final AtomicLong saturatedNanos = new AtomicLong();
  private final @Nullable Counter episodes;
  private final FillHistory history = new FillHistory();
  private volatile IntSupplier waiting = () -> 0;
  /** The probe's last answer and when it was read: it is read at most once a millisecond. */
  private volatile int waitingRead;
  private volatile long waitingReadAt = Moments.NEVER;
  private volatile boolean saturated;

  Workers(Settings settings, Meters meters) {
    Integer set = settings.workerLimit();
    this.configured = set != null;
    this.limit = set != null ? set : UNKNOWN;
    this.source = set != null ? "worker-limit" : "";
    this.saturatedAt = settings.saturatedAt();
    this.endpointShare = settings.endpointShare();
    String name = meters.names().workers;
    meters.gauge(name + ".busy", "Requests being served at the watchdog's last scan", busy::get);
    meters.gauge(name + ".limit", "The most requests the workers serve at once; NaN when not known",
        () -> this.limit > 0 ? this.limit : Double.NaN);
    this.episodes = meters.counter(name + ".saturated", "Episodes of saturated workers");
  }

  /** Counts an episode of saturated workers (the watchdog, as one starts). */
  public void countEpisode() {
    if (episodes != null) {
      episodes.increment();
    }
  }

  /**
   * The limit an adapter found in its container, e.g. 200 from Tomcat's connector; {@link #NO_POOL}
   * under virtual threads. A configured {@code worker-limit} wins.
   */
  public void detected(int limit, String source, @Nullable IntSupplier waitingProbe) {
    if (waitingProbe != null) {
      this.waiting = waitingProbe;
    }
    if (configured) {
      Loggers.CONFIG.info("workers: worker-limit={} (the container's: {}), saturated from {} busy", this.limit, source,
          saturatedFrom());
      logShare();
      return;
    }
    this.limit = limit;
    this.source = source;
    if (limit > 0) {
      Loggers.CONFIG.info("workers: {} at once ({}), saturated from {} busy", limit, source, saturatedFrom());
    } else {
      Loggers.CONFIG.info("workers: {}; set worker-limit where something else bounds the requests served at once", source);
    }
    logShare();
  }

  private void logShare() {
    Double share = endpointShare;
    int l = limit;
    if (share == null) {
      return;
    }
    if (l > 0) {
      Loggers.CONFIG.info("endpoint-share={}%: while other endpoints' requests wait for workers, one endpoint holds at most {} of the {}",
          Math.round(share * 100), Math.max(1, (int) (share * l)), l);
    } else {
      Loggers.CONFIG.warn("endpoint-share={}% does nothing: the workers' limit is not known ({}); endpoint-limits caps"
          + " endpoints on any pool, and worker-limit names the limit", Math.round(share * 100), source);
    }
  }

  /** The limit; {@link #UNKNOWN} or {@link #NO_POOL} when there is none to speak of. */
  public int limit() {
    return limit;
  }

  /** Where the limit came from, e.g. {@code Jetty's QueuedThreadPool} or {@code worker-limit}. */
  public String source() {
    return source;
  }

  /** The busy workers at or above which they count as saturated; {@code Integer.MAX_VALUE} without a limit. */
  public int saturatedFrom() {
    int l = limit;
    return l > 0 ? Math.max(1, (int) Math.ceil(saturatedAt * l)) : Integer.MAX_VALUE;
  }

  /**
   * The requests waiting for a worker in the container's queue now, where the adapter can read it;
   * 0 when not known. Fails open: a probe that throws reads 0.
   */
  private int waiting() {
    try {
      return waiting.getAsInt();
    } catch (RuntimeException | LinkageError e) {
      return 0;
    }
  }

  /**
   * {@link #waiting()}, read at most once a millisecond of the engine's clock: the container's queue is
   * a line its own threads write, and the answer a millisecond old is as good.
   */
  public int waiting(long nowNanos) {
    if (Moments.within(waitingReadAt, 1_000_000L, nowNanos)) {
      return waitingRead;
    }
    int n = waiting();
    waitingRead = n;
    waitingReadAt = nowNanos;
    return n;
  }

  /** Whether an episode of saturated workers is on (the watchdog's). */
  public boolean saturated() {
    return saturated;
  }

  /** The watchdog says an episode of saturated workers started or ended. */
  public void saturated(boolean on) {
    saturated = on;
  }

  /** The fill and queue time of the last minutes, for the live view. */
  public FillHistory history() {
    return history;
  }

  /** The watchdog's count at a scan. */
  public void busy(int requests) {
    busy.set(requests);
  }

  public int busy() {
    return busy.get();
  }

  /** The watchdog adds the time between two scans that found the workers saturated. */
  public void addSaturated(long nanos) {
    saturatedNanos.addAndGet(nanos);
  }

  /** The saturated time of the reporter's interval so far, left for it to take. */
  public long saturatedSoFar() {
    return saturatedNanos.get();
  }

  /** The reporter takes the saturated time of its interval. */
  public long takeSaturated() {
    return saturatedNanos.getAndSet(0);
  }
}
