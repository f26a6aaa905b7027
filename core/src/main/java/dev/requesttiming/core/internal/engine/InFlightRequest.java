package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.naming.EndpointNaming;
import dev.requesttiming.core.internal.util.Durations;
import io.micrometer.core.instrument.LongTaskTimer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A timed request from its start to its finish: its budget (what application code holds), and all
 * of its timing state, in one object of 64 bytes, the only one a request allocates.
 *
 * <p>Who writes what, and who may read it:
 *
 * <ol>
 *   <li>The starting thread writes {@link #engine}, {@link #method}, {@code path}, {@link
 *       #startNanos}, {@link #carrier}, the budget cap, the queue time, the log context, {@code
 *       thread} and the {@code SECURE} and {@code SPENT} bits, and admission control's decision (the
 *       {@code ADMITTED} and {@code REFUSED_*} bits), before the request is published by the in-flight
 *       registry's CAS, and never again (except as below). The watchdog and the reporter read the
 *       request only through that registry, so they see all of these.
 *   <li>{@code slot} is written by the starting thread after the CAS (it is the CAS's result) and
 *       read only when the request finishes, on a thread that happens after its start (the request
 *       thread, or the container's async completion).
 *   <li>{@code path} holds the path as the adapter read it until {@link #pathName} is first asked,
 *       on whichever thread (the finishing one, the watchdog's): then its name, which any thread may
 *       write, since any two that race write the same name, an immutable record.
 *   <li>{@code thread} is volatile: the request thread clears it when the request goes on
 *       asynchronously; the watchdog reads it to sample the stack.
 *   <li>{@code state} is one volatile int of claim bits (finished, each flag level, the stack shown,
 *       seen by the watchdog), each set once by a CAS, by whichever thread gets there first: the
 *       finishing thread or the watchdog. Exactly one of them wins each bit.
 *   <li>{@code active} (where the watchdog counts the request in flight, the endpoint of its first
 *       flag, its last stuck site) is written only by the watchdog, as a new immutable value by CAS;
 *       the finishing thread, after it has claimed {@code FINISHED}, replaces it by one without the
 *       active sample and stops that; a watchdog that sets a sample later sees the request finished
 *       and takes it out itself, so an active sample is stopped exactly once. What the watchdog noted
 *       stays readable after the finish (the recent requests show the stuck site).
 * </ol>
 */
public final class InFlightRequest implements RequestBudget {

  private static final int FINISHED = 1 << 30;
  private static final int STACK_SHOWN = 1 << 29;
  private static final int SEEN_BY_WATCHDOG = 1 << 28;
  private static final int SECURE = 1 << 27;
  /** Its budget was spent before it started: it waited that long for a worker (or its caller's deadline). */
  private static final int SPENT = 1 << 26;
  private static final int SHED = 1 << 25;
  private static final int ABANDONED = 1 << 24;
  /** It passed admission control and holds its places there until it finishes. */
  private static final int ADMITTED = 1 << 23;
  /** Refused by admission control, for the reason of the bit (shed-spent's is {@link #SPENT}). */
  private static final int REFUSED_LATE = 1 << 22;
  private static final int REFUSED_LIMIT = 1 << 21;
  private static final int REFUSED_SHARE = 1 << 20;
  private static final int REFUSED = REFUSED_LATE | REFUSED_LIMIT | REFUSED_SHARE;
  private static final int NO_CAP = Integer.MAX_VALUE;
  private static final VarHandle STATE;
  private static final VarHandle ACTIVE;
  private static final VarHandle THREAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(InFlightRequest.class, "state", int.class);
      ACTIVE = lookup.findVarHandle(InFlightRequest.class, "active", Active.class);
      THREAD = lookup.findVarHandle(InFlightRequest.class, "thread", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Engine engine;
  private final HttpMethod method;
  /** Its path within the app (a {@code String}), until named: then its {@link EndpointNaming.PathName}. */
  private Object path;
  /** When its budget's clock started: the proxy's receipt where it stamps one, else the start. */
  private final long startNanos;
  private final Object carrier;
  @SuppressWarnings("unused") // accessed through THREAD, and as a volatile field
  private volatile @Nullable Thread thread;
  private int slot = -1;
  /** A budget tighter than the endpoint's for this request alone, in milliseconds; {@link #NO_CAP} if none. */
  private final int budgetCapMillis;
  /** How long it waited between the proxy's stamp and its start, in microseconds (at most 10 minutes). */
  private final int queueMicros;
  /** The values of the {@code mdc-keys} at the start (trace and span ids); null when none. */
  private final @Nullable String @Nullable [] logContext;

  /**
   * What the watchdog keeps of this request, off the request path: where it counts the request in
   * flight (its endpoint then, and its active sample, null once stopped), the endpoint its first
   * flag named, which names all its flags from then on, and where it last sampled it waiting.
   */
  private record Active(
      Endpoint endpoint, LongTaskTimer.@Nullable Sample sample, @Nullable Endpoint flagged, @Nullable String stuckAt) {}

  @SuppressWarnings("unused") // accessed through ACTIVE
  private volatile @Nullable Active active;

  /** Claim bits: flagged levels as {@link FlagLevel#bit()}s, and the bits above. */
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  /**
   * @param path its path within the app, a {@code String} named when first asked, or its {@code
   *     EndpointNaming.PathName}
   * @param startNanos when it started, on the engine's monotonic clock
   * @param queueNanos how long it waited before that, from the proxy's stamp (0 without one)
   * @param budgetCapNanos the caller's deadline, tighter than any endpoint's; {@code Long.MAX_VALUE} if none
   */
  InFlightRequest(
      Engine engine,
      HttpMethod method,
      Object path,
      long startNanos,
      long queueNanos,
      Object carrier,
      long budgetCapNanos,
      @Nullable String @Nullable [] logContext,
      boolean secure) {
    this.engine = engine;
    this.method = method;
    this.path = path;
    this.queueMicros = (int) Math.min(Integer.MAX_VALUE, queueNanos / 1000);
    this.startNanos = startNanos - queueMicros * 1000L;
    this.carrier = carrier;
    this.budgetCapMillis = budgetCapNanos == Long.MAX_VALUE ? NO_CAP : (int) Math.min(NO_CAP - 1, (budgetCapNanos + 999_999) / 1_000_000);
    this.logContext = logContext;
    // plain writes: the request is published to the watchdog by the in-flight registry's CAS
    THREAD.set(this, Thread.currentThread());
    STATE.set(this, secure ? SECURE : 0);
  }

  // ---- the budget ----

  @Override
  public boolean isUnlimited() {
    return false;
  }

  @Override
  public Duration budget() {
    return Duration.ofNanos(engine.budgetNanos(this));
  }

  @Override
  public Duration elapsed() {
    return Duration.ofNanos(Math.max(0, engine.clock().monotonicTime() - startNanos));
  }

  @Override
  public Duration remaining() {
    return Duration.ofNanos(remainingNanosAt(engine.clock().monotonicTime()));
  }

  @Override
  public boolean isExpired() {
    return remainingNanosAt(engine.clock().monotonicTime()) == 0;
  }

  @Override
  public Instant deadline() {
    return Instant.ofEpochMilli(engine.clock().wallTime()).plusNanos(remainingNanosAt(engine.clock().monotonicTime()));
  }

  /** The time left at {@code nowNanos} of the engine's clock; never negative. */
  public long remainingNanosAt(long nowNanos) {
    return Math.max(0, engine.budgetNanos(this) - Math.max(0, nowNanos - startNanos));
  }

  @Override
  public String toString() {
    return "RequestBudget[budget=" + Durations.configured(engine.budgetNanos(this))
        + ", elapsed=" + Durations.configured(Math.max(0, engine.clock().monotonicTime() - startNanos)) + "]";
  }

  // ---- what the watchdog, the reporter and downstream calls read ----

  public Engine engine() {
    return engine;
  }

  public HttpMethod method() {
    return method;
  }

  /** What its path says: its name, and whether it is excluded; named the first time asked (most requests never are). */
  public EndpointNaming.PathName pathName() {
    Object p = path;
    if (p instanceof EndpointNaming.PathName named) {
      return named;
    }
    EndpointNaming.PathName named = engine.naming().pathName((String) p);
    path = named;
    return named;
  }

  /** When its budget's clock started: the proxy's receipt where it stamps one, else the start. */
  public long startNanos() {
    return startNanos;
  }

  /** How long it waited for a worker before it started, per the proxy's stamp; 0 without one. */
  public long queueNanos() {
    return queueMicros * 1000L;
  }

  /** The framework's request it was started with (the adapter reads its route from it). */
  public Object carrier() {
    return carrier;
  }

  /** The worker thread serving it; null once it goes on asynchronously. */
  public @Nullable Thread thread() {
    return thread;
  }

  /** The caller's deadline, where tighter than any endpoint's; {@code Long.MAX_VALUE} if none. */
  public long budgetCapNanos() {
    return budgetCapMillis == NO_CAP ? Long.MAX_VALUE : budgetCapMillis * 1_000_000L;
  }

  public @Nullable String @Nullable [] logContext() {
    return logContext;
  }

  /** A short id for log correlation, stable for the request's lifetime. */
  public String id() {
    return String.format("%04x", System.identityHashCode(this) & 0xffff);
  }

  /** This request's budget under the given endpoint: the endpoint's, or the caller's if tighter. */
  public long budgetNanosUnder(Endpoint endpoint) {
    return Math.min(endpoint.budgetNanos(), budgetCapNanos());
  }

  // ---- claims ----

  int slot() {
    return slot;
  }

  void slot(int slot) {
    this.slot = slot;
  }

  /** The request goes on asynchronously: no thread of its own to sample any more. */
  void leftThread() {
    thread = null;
  }

  public boolean isSecure() {
    return ((int) STATE.getVolatile(this) & SECURE) != 0;
  }

  /** Says its budget was spent before it started; call it before the request is published. */
  void markSpent() {
    STATE.set(this, (int) STATE.get(this) | SPENT);
  }

  /** Whether its budget was spent before it started (it waited that long for a worker). */
  public boolean isSpent() {
    return ((int) STATE.getVolatile(this) & SPENT) != 0;
  }

  /** Says admission control admitted it: it gives its places back when it finishes. Before it is published. */
  void markAdmitted() {
    STATE.set(this, (int) STATE.get(this) | ADMITTED);
  }

  boolean isAdmitted() {
    return ((int) STATE.getVolatile(this) & ADMITTED) != 0;
  }

  /** Says admission control refused it; call it before the request is published. */
  void markRefused(ShedReason reason) {
    int bit = switch (reason) {
      case LATE -> REFUSED_LATE;
      case LIMIT -> REFUSED_LIMIT;
      case SHARE -> REFUSED_SHARE;
      case SPENT -> SPENT;
    };
    STATE.set(this, (int) STATE.get(this) | bit);
  }

  /** Whether admission control refused it (for a reason other than a spent budget). */
  boolean isRefused() {
    return ((int) STATE.getVolatile(this) & REFUSED) != 0;
  }

  /** Why it was shed; null when it was not. */
  public @Nullable ShedReason shedReason() {
    int s = (int) STATE.getVolatile(this);
    if ((s & SHED) == 0) {
      return null;
    }
    return (s & REFUSED_LATE) != 0 ? ShedReason.LATE
        : (s & REFUSED_LIMIT) != 0 ? ShedReason.LIMIT
        : (s & REFUSED_SHARE) != 0 ? ShedReason.SHARE
        : ShedReason.SPENT;
  }

  /** Claims the request for shedding (answered 503 without running the app); true only once. */
  boolean claimShed() {
    return claim(SHED);
  }

  public boolean isShed() {
    return ((int) STATE.getVolatile(this) & SHED) != 0;
  }

  /** Says its client went away before the answer; counted when it finishes. */
  void markAbandoned() {
    claim(ABANDONED);
  }

  public boolean isAbandoned() {
    return ((int) STATE.getVolatile(this) & ABANDONED) != 0;
  }

  /** Marks the request finished; true only for the first caller. */
  boolean markFinished() {
    return claim(FINISHED);
  }

  public boolean isFinished() {
    return ((int) STATE.getVolatile(this) & FINISHED) != 0;
  }

  /**
   * Claims every level of the budget reached at {@code elapsedNanos} and not flagged yet, and counts
   * each at the endpoint; each level is claimed once, by the watchdog or the finishing thread.
   *
   * @return the highest level claimed now, or null when none
   */
  public @Nullable FlagLevel claimLevelsReached(Endpoint endpoint, long elapsedNanos, long budgetNanos) {
    FlagLevel highest = null;
    for (FlagLevel level : FlagLevel.ALL) {
      if (elapsedNanos >= engine.settings().threshold(level, budgetNanos) && claim(level.bit())) {
        endpoint.countFlag(level);
        highest = level;
      }
    }
    return highest;
  }

  /** Where the watchdog last sampled it waiting (its stuck site); null until sampled. */
  public @Nullable String stuckAt() {
    Active a = (Active) ACTIVE.getVolatile(this);
    return a == null ? null : a.stuckAt;
  }

  /** The watchdog notes where it sampled the request waiting (after {@link #startActive}). */
  public void stuckAt(String site) {
    Active a;
    do {
      a = (Active) ACTIVE.getVolatile(this);
    } while (a != null && !ACTIVE.compareAndSet(this, a, new Active(a.endpoint, a.sample, a.flagged, site)));
  }

  public boolean stackShown() {
    return ((int) STATE.getVolatile(this) & STACK_SHOWN) != 0;
  }

  /** Claims the one showing of this request's worker stack; true only the first time. */
  public boolean claimStack() {
    return claim(STACK_SHOWN);
  }

  /** True only the first time the watchdog sees this request. */
  public boolean claimSeenByWatchdog() {
    return claim(SEEN_BY_WATCHDOG);
  }

  private boolean claim(int bit) {
    int s;
    do {
      s = (int) STATE.getVolatile(this);
      if ((s & bit) != 0) {
        return false;
      }
    } while (!STATE.compareAndSet(this, s, s | bit));
    return true;
  }

  // ---- where the watchdog counts it ----

  /**
   * Counts this request in its endpoint's {@code http.server.requests.active} and in-flight peak
   * from now on (called by the watchdog, which sees every request in flight at a scan). Safe against
   * a concurrent {@link #stopActive()}: the sample is stopped exactly once either way.
   */
  public void startActive(Endpoint endpoint) {
    ACTIVE.setVolatile(this, new Active(endpoint, endpoint.startActive(), null, null));
    if (isFinished()) {
      stopActive();
    }
  }

  /** The endpoint the watchdog counts this request under while it runs; null before it saw it. */
  public @Nullable Endpoint activeEndpoint() {
    Active a = (Active) ACTIVE.getVolatile(this);
    return a == null ? null : a.endpoint;
  }

  /**
   * Names the endpoint that all of this request's flags count under, before its first flag is
   * claimed (called by the watchdog, after {@link #startActive}); a no-op once finished.
   */
  public void flagUnder(Endpoint endpoint) {
    Active a = (Active) ACTIVE.getVolatile(this);
    if (a != null && a.flagged == null && !isFinished()) {
      ACTIVE.compareAndSet(this, a, new Active(a.endpoint, a.sample, endpoint, a.stuckAt)); // lost only to a finish
    }
  }

  /** The endpoint this request's flags count under, once the watchdog flagged it; else null. */
  public @Nullable Endpoint flaggedEndpoint() {
    Active a = (Active) ACTIVE.getVolatile(this);
    return a == null ? null : a.flagged;
  }

  /** Whether an active sample of this request is running (for the stress tests). */
  boolean hasActiveSample() {
    Active a = (Active) ACTIVE.getVolatile(this);
    return a != null && a.sample != null;
  }

  /**
   * Stops this request's active sample, if the watchdog started one; its flagged endpoint and stuck
   * site stay readable. Called after {@link #markFinished()}, so a plain volatile read suffices to
   * skip the common case: a watchdog that sets a sample afterwards sees the request finished and
   * stops the sample itself. The CAS that takes the sample out makes each sample stop exactly once.
   */
  void stopActive() {
    Active a;
    do {
      a = (Active) ACTIVE.getVolatile(this);
      if (a == null || a.sample == null) {
        return;
      }
    } while (!ACTIVE.compareAndSet(this, a, new Active(a.endpoint, null, a.flagged, a.stuckAt)));
    a.sample.stop();
  }
}
