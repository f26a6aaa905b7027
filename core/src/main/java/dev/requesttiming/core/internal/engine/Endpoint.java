package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.metrics.DurationRecorder;
import dev.requesttiming.core.internal.metrics.MeterNames;
import dev.requesttiming.core.internal.metrics.Meters;
import dev.requesttiming.core.internal.naming.EndpointNaming;
import dev.requesttiming.core.internal.stats.IntervalStats;
import dev.requesttiming.core.internal.stats.PeakInFlight;
import dev.requesttiming.core.internal.stats.StuckSamples;
import dev.requesttiming.core.internal.stats.TypicalTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import java.time.Duration;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One endpoint ({@code METHOD uri}) with its budget and its meters, looked up once and cached so
 * that recording a request builds no tags and no strings.
 *
 * <p>Its budget gauge, peak gauge and flag counters are registered with it, except for {@code
 * UNKNOWN}, which the watchdog creates for requests in flight that have no route yet: its series
 * appear only once a request is recorded or flagged under it, so a request that was merely seen
 * early leaves no permanent series behind.
 *
 * <p>Thread-safe: recording is lock-free; creating a timer for a new status or exception class, or
 * the meters of {@code UNKNOWN}, takes this endpoint's lock, once.
 */
public final class Endpoint {

  /** Distinct (status, exception) timers kept per endpoint; past it, the nearest one is reused. */
  private static final int MAX_TIMERS = 64;

  private record TimerSlot(int status, @Nullable Class<?> exception, boolean secure, @Nullable DurationRecorder timer) {

    boolean matches(int status, @Nullable Class<?> exception, boolean secure) {
      return this.status == status && this.exception == exception && this.secure == secure;
    }
  }

  private final HttpMethod method;
  private final String uri;
  private final Duration budget;
  private final long budgetNanos;
  private final IntervalStats stats = new IntervalStats();
  /** Where this endpoint's slow requests were stuck, sampled by the watchdog. */
  private final StuckSamples stuck = new StuckSamples();
  private final PeakInFlight peakInFlight = new PeakInFlight();
  /** Requests counted in flight in the watchdog's current scan; only the watchdog touches it. */
  private int inScan;
  private final Meters meters;
  private final boolean tagsScheme;
  private final @Nullable LongTaskTimer active;
  private volatile TimerSlot[] timers = new TimerSlot[0];
  private final @Nullable Counter[] flagged = new Counter[FlagLevel.ALL.length];
  /** The reasons requests may be shed for, as configured; a counter each once the meters are registered. */
  private final ShedReason[] shedReasons;
  private final @Nullable Counter[] shed = new Counter[ShedReason.ALL.length];
  /** What its requests typically take, kept while admission control is on; else null. */
  private final @Nullable TypicalTime typical;
  private @Nullable Counter abandoned;
  /** Whether the budget and peak gauges and the flag counters are registered; written under the lock. */
  private volatile boolean metersRegistered;

  Endpoint(HttpMethod method, String uri, Duration budget, Meters meters, ShedReason[] shedReasons, boolean tracksTypical) {
    this.method = method;
    this.shedReasons = shedReasons;
    this.typical = tracksTypical ? new TypicalTime() : null;
    this.uri = uri;
    this.budget = budget;
    this.budgetNanos = budget.toNanos();
    this.meters = meters;
    this.tagsScheme = meters.tagsScheme();
    this.active = meters.activeTimer(method, uri);
    if (!uri.equals(EndpointNaming.UNKNOWN)) {
      registerMeters();
    }
  }

  private synchronized void registerMeters() {
    if (metersRegistered) {
      return;
    }
    meters.budgetGauge(method, uri, budget);
    meters.peakGauge(method, uri, peakInFlight::read);
    // registered at zero, so that Prometheus' increase() sees an endpoint's very first flag
    for (FlagLevel level : FlagLevel.ALL) {
      flagged[level.ordinal()] = meters.flaggedCounter(method, uri, level);
    }
    MeterNames names = meters.names();
    for (ShedReason reason : shedReasons) {
      shed[reason.ordinal()] = meters.shedCounter(method, uri, reason.tag());
    }
    abandoned = meters.endpointCounter(names.abandoned, "Requests whose client went away before the answer", method, uri);
    metersRegistered = true;
  }

  public HttpMethod method() {
    return method;
  }

  public String uri() {
    return uri;
  }

  public Duration budget() {
    return budget;
  }

  public long budgetNanos() {
    return budgetNanos;
  }

  /** The report's statistics: recorded by requests, drained by the reporter. */
  public IntervalStats stats() {
    return stats;
  }

  /** Where its slow requests were stuck: added by the watchdog, drained by the reporter. */
  public StuckSamples stuck() {
    return stuck;
  }

  /** The most requests in flight at one scan since the last report: raised by the watchdog, reset by the reporter. */
  public PeakInFlight peakInFlight() {
    return peakInFlight;
  }

  /** Counts one more request in flight in the watchdog's current scan; how many were counted before. */
  public int addInScan() {
    return inScan++;
  }

  /** The requests counted in flight in the watchdog's current scan, which starts over. */
  public int takeInScan() {
    int n = inScan;
    inScan = 0;
    return n;
  }

  LongTaskTimer.@Nullable Sample startActive() {
    return active == null ? null : active.start();
  }

  /**
   * Records a finished request: {@code nanos} from the proxy's stamp (or its start) for the report,
   * {@code serviceNanos} (the app's own time) for the request timer; {@code secure} (https) counts
   * only where the naming tags the scheme; {@code endNanos} is when it finished (monotonic).
   */
  void record(int status, @Nullable Throwable error, boolean secure, long nanos, long serviceNanos, long endNanos) {
    if (!metersRegistered) {
      registerMeters();
    }
    stats.record(nanos, error != null || status >= 500);
    if (typical != null && error == null && status < 500) {
      typical.record(serviceNanos);
    }
    DurationRecorder timer = timer(status, error == null ? null : error.getClass(), secure && tagsScheme);
    if (timer != null) {
      timer.record(serviceNanos, endNanos);
    }
  }

  /** Counts a request answered 503 before the app ran, for {@code reason}. */
  void countShed(ShedReason reason) {
    if (!metersRegistered) {
      registerMeters();
    }
    stats.counted(IntervalStats.SHED + reason.ordinal());
    Counter counter = shed[reason.ordinal()];
    if (counter != null) {
      counter.increment();
    }
  }

  /** What its successful requests recently took (their median, from their start); 0 while not known. */
  public long typicalNanos() {
    return typical == null ? 0 : typical.nanos();
  }

  /** The watchdog takes the recent median of what was recorded (four times a second). */
  public void updateTypical() {
    if (typical != null) {
      typical.update();
    }
  }

  /** Counts a request whose client went away before the answer. */
  void countAbandoned() {
    if (!metersRegistered) {
      registerMeters();
    }
    stats.counted(IntervalStats.ABANDONED);
    Counter registered = abandoned; // read after registerMeters
    if (registered != null) {
      registered.increment();
    }
  }

  public void countFlag(FlagLevel level) {
    if (!metersRegistered) {
      registerMeters();
    }
    stats.flagged(level);
    Counter counter = flagged[level.ordinal()];
    if (counter != null) {
      counter.increment();
    }
  }

  private @Nullable DurationRecorder timer(int status, @Nullable Class<?> exception, boolean secure) {
    for (TimerSlot slot : timers) {
      if (slot.matches(status, exception, secure)) {
        return slot.timer;
      }
    }
    return addTimer(status, exception, secure);
  }

  private synchronized @Nullable DurationRecorder addTimer(int status, @Nullable Class<?> exception, boolean secure) {
    TimerSlot[] current = timers;
    for (TimerSlot slot : current) {
      if (slot.matches(status, exception, secure)) {
        return slot.timer;
      }
    }
    if (current.length >= MAX_TIMERS) {
      for (TimerSlot slot : current) {
        if (slot.status == status) {
          return slot.timer;
        }
      }
      return current[0].timer;
    }
    DurationRecorder timer = meters.requestTimer(method, uri, status, exception, secure);
    TimerSlot[] grown = Arrays.copyOf(current, current.length + 1);
    grown[current.length] = new TimerSlot(status, exception, secure, timer);
    timers = grown;
    return timer;
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
