package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.engine.Admission;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.Gate;
import dev.requesttiming.core.internal.engine.ShedReason;
import dev.requesttiming.core.internal.engine.Workers;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.Loggers;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Tells when an endpoint starts and stops being refused under overload: at the first scan that
 * finds new refusals of a gate, one WARN ({@code event=endpoint_refused}) with the reason, what it
 * holds against what it may, and who else is served; once it has refused nothing for as long as
 * admission control holds a decision, one INFO ({@code event=endpoint_admitted}) with how many it
 * refused, for which reasons, over how long. Every refusal is counted in {@code
 * http.server.requests.budget.shed}; these two lines are the log's whole share of an episode.
 *
 * <p>Used by the watchdog thread only; a scan costs a few reads per gate.
 */
final class RefusalEpisodes {

  private static final Logger LOG = Loggers.BUDGET;
  private static final int OTHERS_LISTED = 5;

  private final Engine engine;
  private final Admission admission;
  private final Workers workers;
  /** Per gate that ever refused: its refusals by reason when its episode started, or at the last scan. */
  private final Map<Gate, Episode> seen = new IdentityHashMap<>();

  private static final class Episode {
    final long[] refusedBefore = new long[ShedReason.ALL.length];
    long since;
    boolean open;
  }

  RefusalEpisodes(Engine engine, Admission admission) {
    this.engine = engine;
    this.admission = admission;
    this.workers = engine.workers();
  }

  void afterScan(long now) {
    admission.afterScan();
    List<Gate> started = new ArrayList<>();
    admission.forEachGate(gate -> {
      long refused = total(gate);
      Episode episode = seen.get(gate);
      if (episode == null && refused == 0) {
        return;
      }
      if (episode == null) {
        episode = new Episode();
        seen.put(gate, episode);
      }
      if (!episode.open && refused > sum(episode.refusedBefore)) {
        episode.open = true;
        episode.since = now;
        started.add(gate);
      } else if (episode.open && !Admission.holding(gate, now)) {
        ended(gate, episode, now);
      }
    });
    for (Gate gate : started) {
      refused(gate, seen.get(gate), now);
    }
  }

  private void refused(Gate gate, Episode episode, long now) {
    ShedReason reason = ShedReason.SPENT;
    long most = -1;
    for (ShedReason r : ShedReason.ALL) {
      long n = gate.refused(r) - episode.refusedBefore[r.ordinal()];
      if (n > most) {
        most = n;
        reason = r;
      }
    }
    String name = gate.name();
    List<String> others = admission.othersActive(gate, now, OTHERS_LISTED);
    try {
      LogEvent.warn(LOG)
          .addKeyValue("event", "endpoint_refused")
          .addKeyValue("endpoint", name)
          .addKeyValue("reason", reason.tag())
          .log(name + " refused (" + reason.tag() + "): " + reason.why() + "; " + holds(gate, reason)
              + "; others served in the last second: " + (others.isEmpty() ? "none" : String.join(", ", others)));
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("logging an endpoint's refusals", e);
    }
  }

  /** What the gate holds against what it may, for its reason. */
  private String holds(Gate gate, ShedReason reason) {
    return switch (reason) {
      case SHARE -> "it holds " + gate.inFlight() + " of the " + workers.limit() + " workers, at most "
          + admission.shareOfWorkers() + " while others wait (endpoint-share)";
      case LIMIT -> gate.cap() == null ? "endpoint-limits"
          : "endpoint-limits " + gate.cap().rule() + " (" + gate.cap().inFlight() + " in flight)";
      case LATE -> gate.endpoint() == null ? "shed-late"
          : "it typically takes " + Durations.latency(gate.endpoint().typicalNanos()) + " (shed-late)";
      case SPENT -> "shed-spent";
    };
  }

  private void ended(Gate gate, Episode episode, long now) {
    episode.open = false;
    long length = gate.lastRefusalNanos() - episode.since;
    StringBuilder reasons = new StringBuilder();
    long total = 0;
    for (ShedReason r : ShedReason.ALL) {
      long n = gate.refused(r) - episode.refusedBefore[r.ordinal()];
      episode.refusedBefore[r.ordinal()] = gate.refused(r);
      if (n > 0) {
        reasons.append(reasons.length() == 0 ? "" : ", ").append(n).append(' ').append(r.tag());
        total += n;
      }
    }
    try {
      LogEvent.info(LOG)
          .addKeyValue("event", "endpoint_admitted")
          .addKeyValue("endpoint", gate.name())
          .addKeyValue("refused", total)
          .addKeyValue("refused_ms", Math.max(0, length) / 1_000_000)
          .log(gate.name() + " admitted again: " + total + " refused (" + reasons + ") over "
              + Durations.latency(Math.max(0, length)) + ", none for the last " + Durations.latency(now - gate.lastRefusalNanos()));
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("logging an endpoint's refusals", e);
    }
  }

  private static long total(Gate gate) {
    long n = 0;
    for (ShedReason r : ShedReason.ALL) {
      n += gate.refused(r);
    }
    return n;
  }

  private static long sum(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }
}
