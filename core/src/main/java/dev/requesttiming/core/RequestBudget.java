package dev.requesttiming.core;

import io.micrometer.core.instrument.LongTaskTimer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The time budget of the request being served: how long it may still run before the worker
 * supervisor (or the caller, via {@code deadline-header}) gives up on it. Downstream calls should
 * wait no longer than what is left: {@link DownstreamBudget} and {@link DownstreamCall} do that
 * (minus the time kept to answer), or use {@link #remaining()} as a call's timeout:
 *
 * <pre>{@code
 * HttpRequest call = HttpRequest.newBuilder(uri)
 *     .timeout(RequestBudget.current().remainingOr(Duration.ofSeconds(25)))
 *     .build();
 * }</pre>
 *
 * <p>{@link #current()} is the budget of the request on this thread; another thread gets it through
 * {@link #wrap(Runnable)} or, knowing the request, from the adapter (the servlet filter's {@code
 * budgetOf(request)}).
 *
 * <p>It is also the request's timing state from {@link RequestTiming#start} to {@link
 * RequestTiming#finish}: one object per request. Thread-safe: a request may be finished from any
 * thread while the watchdog reads it.
 */
public final class RequestBudget {

  private static final ThreadLocal<RequestBudget> CURRENT = new ThreadLocal<>();
  private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  private static final int FINISHED = 1 << 30;
  private static final int STACK_SHOWN = 1 << 29;
  private static final int SEEN_BY_WATCHDOG = 1 << 28;
  private static final int SECURE = 1 << 27;
  private static final VarHandle STATE;
  private static final VarHandle ACTIVE;
  private static final VarHandle THREAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(RequestBudget.class, "state", int.class);
      ACTIVE = lookup.findVarHandle(RequestBudget.class, "active", Active.class);
      THREAD = lookup.findVarHandle(RequestBudget.class, "thread", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** After the VarHandles, which its constructor uses. */
  private static final RequestBudget UNLIMITED = new RequestBudget(null, HttpMethod.UNKNOWN, null, 0, null);

  /** Null only for the unlimited budget. */
  final @Nullable RequestTiming timing;
  final HttpMethod method;
  final EndpointNaming.@Nullable PathName pathName;
  final long startNanos;
  final @Nullable Object carrier;
  volatile @Nullable Thread thread;
  int slot = -1;
  /** A budget tighter than the endpoint's for this request alone; {@code Long.MAX_VALUE} if none. */
  long budgetCapNanos = Long.MAX_VALUE;
  /** The values of the {@code mdc-keys} at the start (trace and span ids); null when none. */
  @Nullable String @Nullable [] logContext;

  /**
   * Where the watchdog counts this request in flight (its endpoint then, and its active sample), and
   * the endpoint its first flag named, which names all its flags from then on.
   */
  private record Active(Endpoint endpoint, LongTaskTimer.@Nullable Sample sample, @Nullable Endpoint flagged) {}

  @SuppressWarnings("unused") // accessed through ACTIVE
  private volatile @Nullable Active active;

  /** Flagged levels as {@link FlagLevel#bit()}s, and the bits above. */
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  RequestBudget(
      @Nullable RequestTiming timing,
      HttpMethod method,
      EndpointNaming.@Nullable PathName pathName,
      long startNanos,
      @Nullable Object carrier) {
    this.timing = timing;
    this.method = method;
    this.pathName = pathName;
    this.startNanos = startNanos;
    this.carrier = carrier;
    // a plain write: the request is published to the watchdog by the in-flight registry's CAS
    THREAD.set(this, Thread.currentThread());
  }

  /** The budget of the request this thread serves; an unlimited budget outside of a request. */
  public static RequestBudget current() {
    RequestBudget budget = CURRENT.get();
    return budget != null ? budget : UNLIMITED;
  }

  /** The budget outside of any request. */
  static RequestBudget unlimited() {
    return UNLIMITED;
  }

  /** Whether this budget is unlimited (no request, or timing was off for it). */
  public boolean isUnlimited() {
    return timing == null;
  }

  /** The request's whole budget: its endpoint's, or the caller's deadline when that is tighter. */
  public Duration budget() {
    return timing == null ? FOREVER : Duration.ofNanos(budgetNanos(timing));
  }

  /** How long the request has been running. */
  public Duration elapsed() {
    return timing == null ? Duration.ZERO : Duration.ofNanos(elapsedNanos(timing));
  }

  /** The time left before the budget runs out; never negative. */
  public Duration remaining() {
    return timing == null ? FOREVER : Duration.ofNanos(remainingNanos(timing));
  }

  /** The smaller of {@link #remaining()} and {@code max}: a timeout for a call that has its own limit. */
  public Duration remainingOr(Duration max) {
    Objects.requireNonNull(max, "max == null");
    Duration remaining = remaining();
    return remaining.compareTo(max) < 0 ? remaining : max;
  }

  /** Whether the budget has run out. */
  public boolean isExpired() {
    return timing != null && remainingNanos(timing) == 0;
  }

  /** The wall-clock instant at which the budget runs out; {@link Instant#MAX} when unlimited. */
  public Instant deadline() {
    if (timing == null) {
      return Instant.MAX;
    }
    return Instant.ofEpochMilli(timing.clock.wallTime()).plusNanos(remainingNanos(timing));
  }

  /** Runs {@code task} with this thread's current budget, wherever it runs. */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task == null");
    RequestBudget budget = current();
    if (budget.isUnlimited()) {
      return task;
    }
    return () -> {
      RequestBudget previous = budget.enter();
      try {
        task.run();
      } finally {
        exit(previous);
      }
    };
  }

  /** Calls {@code task} with this thread's current budget, wherever it runs. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task == null");
    RequestBudget budget = current();
    if (budget.isUnlimited()) {
      return task;
    }
    return () -> {
      RequestBudget previous = budget.enter();
      try {
        return task.call();
      } finally {
        exit(previous);
      }
    };
  }

  /** An executor whose tasks run with the budget current when each is submitted. */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor == null");
    return task -> executor.execute(wrap(task));
  }

  @Override
  public String toString() {
    if (timing == null) {
      return "RequestBudget[unlimited]";
    }
    return "RequestBudget[budget="
        + ConfigText.nanos(budgetNanos(timing))
        + ", elapsed="
        + ConfigText.nanos(elapsedNanos(timing))
        + "]";
  }

  // ---- the request's timing state, for the core and its adapters' calls through RequestTiming ----

  /** Ends the timing; see {@link RequestTiming#finish}. */
  void finish(int status, @Nullable Throwable error) {
    if (timing != null) {
      timing.finish(this, status, error);
    }
  }

  /** Makes this the current budget of the calling thread, a request thread that had none. */
  void bind() {
    CURRENT.set(this);
  }

  /** Makes this the current budget of the calling thread; returns the one it replaces. */
  @Nullable RequestBudget enter() {
    RequestBudget previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  /** Restores the budget {@link #enter()} replaced. */
  static void exit(@Nullable RequestBudget previous) {
    CURRENT.set(previous);
  }

  /**
   * Clears this budget from the calling thread if it is the current one. The thread keeps an empty
   * slot rather than losing it, so the next request on the thread allocates nothing; the value,
   * which is what could pin a web app's classes, is gone.
   */
  void leaveThread() {
    if (CURRENT.get() == this) {
      CURRENT.set(null);
    }
  }

  /** This request's budget under the given endpoint: the endpoint's, or the caller's if tighter. */
  long budgetNanosUnder(Endpoint endpoint) {
    return Math.min(endpoint.budgetNanos, budgetCapNanos);
  }

  /** Says the request came over https; call it before the request is published. */
  void markSecure() {
    STATE.set(this, (int) STATE.get(this) | SECURE);
  }

  boolean isSecure() {
    return ((int) STATE.getVolatile(this) & SECURE) != 0;
  }

  /** Marks the request finished; true only for the first caller. */
  boolean markFinished() {
    return claim(FINISHED);
  }

  boolean isFinished() {
    return ((int) STATE.getVolatile(this) & FINISHED) != 0;
  }

  /** Claims a level for flagging; true only the first time for that level. */
  boolean claimFlag(FlagLevel level) {
    return claim(level.bit());
  }

  boolean stackShown() {
    return ((int) STATE.getVolatile(this) & STACK_SHOWN) != 0;
  }

  /** Claims the one showing of this request's worker stack; true only the first time. */
  boolean claimStack() {
    return claim(STACK_SHOWN);
  }

  /** True only the first time the watchdog sees this request. */
  boolean claimSeenByWatchdog() {
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

  /**
   * Counts this request in its endpoint's {@code http.server.requests.active} and in-flight peak
   * from now on (called by the watchdog, which sees every request in flight at a scan). Safe against
   * a concurrent {@link #stopActive()}: the sample is stopped exactly once either way.
   */
  void startActive(Endpoint endpoint) {
    ACTIVE.setVolatile(this, new Active(endpoint, endpoint.startActive(), null));
    if (isFinished()) {
      stopActive();
    }
  }

  /** The endpoint the watchdog counts this request under while it runs; null before it saw it. */
  @Nullable Endpoint activeEndpoint() {
    Active a = (Active) ACTIVE.getVolatile(this);
    return a == null ? null : a.endpoint;
  }

  /**
   * Names the endpoint that all of this request's flags count under, before its first flag is
   * claimed (called by the watchdog, after {@link #startActive}); a no-op once finished.
   */
  void flagUnder(Endpoint endpoint) {
    Active a = (Active) ACTIVE.getVolatile(this);
    if (a != null && a.flagged == null) {
      ACTIVE.compareAndSet(this, a, new Active(a.endpoint, a.sample, endpoint)); // lost only to a finish
    }
  }

  /** The endpoint this request's flags count under, once the watchdog flagged it; else null. */
  @Nullable Endpoint flaggedEndpoint() {
    Active a = (Active) ACTIVE.getVolatile(this);
    return a == null ? null : a.flagged;
  }

  /**
   * Stops this request's active sample, if the watchdog started one. Called after {@link
   * #markFinished()}, so a plain volatile read suffices to skip the common case: a watchdog that
   * sets a sample afterwards sees the request finished and stops the sample itself.
   */
  void stopActive() {
    if ((Active) ACTIVE.getVolatile(this) == null) { // the cast keeps the exact VarHandle type
      return;
    }
    Active a = (Active) ACTIVE.getAndSet(this, (Active) null);
    if (a != null && a.sample != null) {
      a.sample.stop();
    }
  }

  /** A short id for log correlation, stable for the request's lifetime. */
  String id() {
    return String.format("%04x", System.identityHashCode(this) & 0xffff);
  }

  private long budgetNanos(RequestTiming t) {
    return t.budgetNanos(this);
  }

  private long elapsedNanos(RequestTiming t) {
    return Math.max(0, t.clock.monotonicTime() - startNanos);
  }

  /** The time left at {@code nowNanos} of the request's clock; never negative. */
  long remainingNanosAt(long nowNanos) {
    RequestTiming t = timing;
    return t == null ? Long.MAX_VALUE : Math.max(0, budgetNanos(t) - Math.max(0, nowNanos - startNanos));
  }

  private long remainingNanos(RequestTiming t) {
    return remainingNanosAt(t.clock.monotonicTime());
  }
}
