package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.Workers;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.Loggers;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * Tells when the workers are saturated: from the first scan that finds at least {@code
 * saturated-at} of the worker limit busy, one WARN ({@code event=workers_saturated}) with who holds
 * them, where they are stuck and how long requests waited for a worker; when fewer have been busy for
 * a second, one line that the episode ended ({@code event=workers_recovered}), with its length and
 * peak. Episodes are counted in {@code http.server.requests.workers.saturated}, and the saturated
 * time goes to the report.
 *
 * <p>Used by the watchdog thread only.
 */
final class Saturation {

  private static final Logger LOG = Loggers.BUDGET;
  /** Fewer busy than the threshold for this long ends an episode, so that one at the edge is one episode. */
  private static final long RECOVERY_NANOS = 1_000_000_000L;
  private static final int HOLDERS_LISTED = 3;

  private final Engine engine;
  private final Workers workers;
  private boolean saturated;
  private long since;
  private long belowSince = -1;
  private int peak;
  private long lastScan = -1;
  /** Whether requests carry the proxy's stamp, so that their queue time is known. */
  private final boolean stamped;

  Saturation(Engine engine) {
    this.engine = engine;
    this.workers = engine.workers();
    this.stamped = engine.settings().requestStartHeader() != null;
  }

  /**
   * After a scan at {@code now} that found {@code busy} requests in flight.
   *
   * @param longestQueueNanos the longest any of them waited for a worker (0 when not known)
   */
  void afterScan(long now, int busy, long longestQueueNanos) {
    workers.busy(busy);
    workers.history().record(engine.clock().wallTime(), busy, stamped ? longestQueueNanos / 1_000_000 : -1);
    boolean full = busy >= workers.saturatedFrom();
    if (full && lastScan >= 0) {
      workers.addSaturated(now - lastScan);
    }
    lastScan = now;
    if (full) {
      belowSince = -1;
      if (!saturated) {
        start(now, busy, longestQueueNanos);
      }
      peak = Math.max(peak, busy);
    } else if (saturated) {
      if (belowSince < 0) {
        belowSince = now;
      } else if (now - belowSince >= RECOVERY_NANOS) {
        recover();
      }
    }
  }

  private void start(long now, int busy, long longestQueueNanos) {
    saturated = true;
    workers.saturated(true);
    since = now;
    peak = busy;
    workers.countEpisode();
    String queue = longestQueueNanos > 0
        ? "; requests in flight waited up to " + Durations.latency(longestQueueNanos) + " for a worker"
        : "";
    try {
      LogEvent.warn(LOG)
          .addKeyValue("event", "workers_saturated")
          .addKeyValue("busy", busy)
          .addKeyValue("limit", workers.limit())
          .addKeyValue("since", Instant.ofEpochMilli(engine.clock().wallTime()).toString())
          .addKeyValue("queue_ms", longestQueueNanos / 1_000_000)
          .log("workers saturated: " + busy + "/" + workers.limit() + " busy (" + workers.source() + ", saturated from "
              + workers.saturatedFrom() + "); held by " + Holders.of(engine, HOLDERS_LISTED, name -> false) + queue);
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("logging saturated workers", e);
    }
  }

  private void recover() {
    saturated = false;
    workers.saturated(false);
    long length = belowSince - since;
    try {
      LogEvent.info(LOG)
          .addKeyValue("event", "workers_recovered")
          .addKeyValue("saturated_ms", length / 1_000_000)
          .addKeyValue("peak", peak)
          .addKeyValue("limit", workers.limit())
          .log("workers recovered: saturated for " + Durations.latency(length) + ", peak " + peak + "/" + workers.limit()
              + " busy");
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("logging recovered workers", e);
    }
    belowSince = -1;
  }
}
