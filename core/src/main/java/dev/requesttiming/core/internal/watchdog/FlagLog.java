package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.engine.Endpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The flag-line budget ({@code flag-log-limit}): per endpoint and level, the first flags of
 * an interval are logged one by one, the first one at {@code stack-trace-at} with the worker's
 * stack; the rest are only counted here, for one summary line per endpoint when the interval ends.
 * Counters and reports count every flag regardless.
 *
 * <p>Thread-safe: the watchdog claims lines, the reporter drains at the end of each interval, both
 * under this object's lock, which request threads never take.
 */
final class FlagLog {

  /** What an endpoint's flags were in an interval. */
  static final class Tally {
    final int[] logged = new int[FlagLevel.ALL.length];
    final long[] suppressed = new long[FlagLevel.ALL.length];
    boolean stackShown;
    /** The log context (trace ids) of the latest flag not logged one by one: an example to look up. */
    @Nullable String @Nullable [] exampleContext;

    long suppressedTotal() {
      long total = 0;
      for (long s : suppressed) {
        total += s;
      }
      return total;
    }
  }

  /** An endpoint's tally at the end of an interval, with flags that were not logged one by one. */
  record Suppressed(Endpoint endpoint, Tally tally) {}

  private final int limit;
  private final Map<Endpoint, Tally> tallies = new HashMap<>();

  FlagLog(int limit) {
    this.limit = limit;
  }

  /** True when this flag gets its own line; otherwise it is counted for the summary. */
  synchronized boolean claimLine(Endpoint endpoint, FlagLevel level, @Nullable String @Nullable [] context) {
    Tally tally = tallies.computeIfAbsent(endpoint, e -> new Tally());
    int i = level.ordinal();
    if (tally.logged[i] < limit) {
      tally.logged[i]++;
      return true;
    }
    tally.suppressed[i]++;
    if (context != null) {
      tally.exampleContext = context;
    }
    return false;
  }

  /** True for the first stack the endpoint's flags show in this interval. */
  synchronized boolean claimStack(Endpoint endpoint) {
    Tally tally = tallies.computeIfAbsent(endpoint, e -> new Tally());
    if (tally.stackShown) {
      return false;
    }
    tally.stackShown = true;
    return true;
  }

  /** Ends the interval: the endpoints with flags not logged one by one, and a fresh budget for all. */
  synchronized List<Suppressed> drain() {
    List<Suppressed> result = new ArrayList<>();
    tallies.forEach((endpoint, tally) -> {
      if (tally.suppressedTotal() > 0) {
        result.add(new Suppressed(endpoint, tally));
      }
    });
    tallies.clear();
    return result;
  }
}
