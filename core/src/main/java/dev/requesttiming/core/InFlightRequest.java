package dev.requesttiming.core;

import io.micrometer.core.instrument.LongTaskTimer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * A request being timed, from {@link RequestTiming#start} until {@link #finish}. An adapter keeps
 * it for the request's lifetime (e.g. as a request attribute) and finishes it exactly once; later
 * calls of {@code finish} are ignored.
 *
 * <p>Thread-safe: it may be finished from any thread while the watchdog reads it.
 */
public final class InFlightRequest {

  private static final int FINISHED = 1 << 30;
  private static final int STACK_SHOWN = 1 << 29;
  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(InFlightRequest.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final RequestTiming timing;
  final HttpMethod method;
  final EndpointNaming.PathName pathName;
  final long startNanos;
  final @Nullable Object carrier;
  final RequestBudget budget = new RequestBudget(this);
  volatile @Nullable Thread thread;
  int slot = -1;
  /** A budget tighter than the endpoint's for this request alone; {@code Long.MAX_VALUE} if none. */
  long budgetCapNanos = Long.MAX_VALUE;
  LongTaskTimer.@Nullable Sample activeSample;

  /** Flagged levels as {@link FlagLevel#bit()}s, and {@link #FINISHED}. */
  @SuppressWarnings("unused") // accessed through STATE
  private volatile int state;

  InFlightRequest(
      RequestTiming timing,
      HttpMethod method,
      EndpointNaming.PathName pathName,
      long startNanos,
      @Nullable Object carrier) {
    this.timing = timing;
    this.method = method;
    this.pathName = pathName;
    this.startNanos = startNanos;
    this.carrier = carrier;
    this.thread = Thread.currentThread();
  }

  /**
   * Ends the timing and records the request under its final name (the route template is read
   * through the {@link RequestTiming.RouteLookup} now). Never throws.
   *
   * @param status the response status
   * @param error the exception the request ended with, or null
   */
  public void finish(int status, @Nullable Throwable error) {
    timing.finish(this, status, error);
  }

  /**
   * Says that the request goes on asynchronously: its original thread is no longer the one to look
   * at when it runs long, and the budget leaves that thread. Call it on the request thread.
   */
  public void continueAsync() {
    thread = null;
    budget.leaveThread();
  }

  /** The request's budget, to publish where other threads find it (e.g. a request attribute). */
  public RequestBudget budget() {
    return budget;
  }

  /** Marks the request finished; true only for the first caller. */
  boolean markFinished() {
    return claim(FINISHED);
  }

  /** Claims a level for flagging; true only the first time for that level. */
  boolean claimFlag(FlagLevel level) {
    return claim(level.bit());
  }

  /** Claims the one showing of this request's worker stack; true only the first time. */
  boolean claimStack() {
    return claim(STACK_SHOWN);
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

  boolean isFinished() {
    return ((int) STATE.getVolatile(this) & FINISHED) != 0;
  }

  /** A short id for log correlation, stable for the request's lifetime. */
  String id() {
    return String.format("%04x", System.identityHashCode(this) & 0xffff);
  }
}
