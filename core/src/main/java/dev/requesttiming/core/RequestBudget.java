package dev.requesttiming.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The time budget of the request being served: how long it may still run before the worker
 * supervisor (or the caller, via {@code deadline-header}) gives up on it. Use {@link #remaining()} as
 * the timeout of downstream calls instead of a fixed one that outlives the worker:
 *
 * <pre>{@code
 * HttpRequest call = HttpRequest.newBuilder(uri)
 *     .timeout(RequestBudget.current().remainingOr(Duration.ofSeconds(25)))
 *     .build();
 * }</pre>
 *
 * <p>{@link #current()} is the budget of the request on this thread; another thread gets it from
 * the request attribute {@value #ATTRIBUTE} or through {@link #wrap(Runnable)}. Thread-safe.
 */
public final class RequestBudget {

  /** The request attribute under which adapters publish the request's budget. */
  public static final String ATTRIBUTE = "dev.requesttiming.budget";

  private static final ThreadLocal<RequestBudget> CURRENT = new ThreadLocal<>();
  private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
  private static final RequestBudget UNLIMITED = new RequestBudget(null);

  private final @Nullable InFlightRequest request;

  RequestBudget(@Nullable InFlightRequest request) {
    this.request = request;
  }

  /** The budget of the request this thread serves; an unlimited budget outside of a request. */
  public static RequestBudget current() {
    RequestBudget budget = CURRENT.get();
    return budget != null ? budget : UNLIMITED;
  }

  /** Whether this budget is unlimited (no request, or timing was off for it). */
  public boolean isUnlimited() {
    return request == null;
  }

  /** The request's whole budget: its endpoint's, or the caller's deadline when that is tighter. */
  public Duration budget() {
    return request == null ? FOREVER : Duration.ofNanos(budgetNanos(request));
  }

  /** How long the request has been running. */
  public Duration elapsed() {
    return request == null ? Duration.ZERO : Duration.ofNanos(elapsedNanos(request));
  }

  /** The time left before the budget runs out; never negative. */
  public Duration remaining() {
    return request == null ? FOREVER : Duration.ofNanos(remainingNanos(request));
  }

  /** The smaller of {@link #remaining()} and {@code max}: a timeout for a call that has its own limit. */
  public Duration remainingOr(Duration max) {
    Objects.requireNonNull(max, "max == null");
    Duration remaining = remaining();
    return remaining.compareTo(max) < 0 ? remaining : max;
  }

  /** Whether the budget has run out. */
  public boolean isExpired() {
    return request != null && remainingNanos(request) == 0;
  }

  /** The wall-clock instant at which the budget runs out; {@link Instant#MAX} when unlimited. */
  public Instant deadline() {
    if (request == null) {
      return Instant.MAX;
    }
    return Instant.ofEpochMilli(request.timing.clock.wallTime()).plusNanos(remainingNanos(request));
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
    if (request == null) {
      return "RequestBudget[unlimited]";
    }
    return "RequestBudget[budget="
        + ConfigText.nanos(budgetNanos(request))
        + ", elapsed="
        + ConfigText.nanos(elapsedNanos(request))
        + "]";
  }

  /** Makes this the current budget of the calling thread; returns the one it replaces. */
  @Nullable RequestBudget enter() {
    RequestBudget previous = CURRENT.get();
    CURRENT.set(this);
    return previous;
  }

  /** Restores the budget {@link #enter()} replaced. */
  static void exit(@Nullable RequestBudget previous) {
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
  }

  /** Clears this budget from the calling thread if it is the current one. */
  void leaveThread() {
    if (CURRENT.get() == this) {
      CURRENT.remove();
    }
  }

  private static long budgetNanos(InFlightRequest r) {
    return r.timing.budgetNanos(r);
  }

  private static long elapsedNanos(InFlightRequest r) {
    return Math.max(0, r.timing.clock.monotonicTime() - r.startNanos);
  }

  private static long remainingNanos(InFlightRequest r) {
    return Math.max(0, budgetNanos(r) - elapsedNanos(r));
  }
}
