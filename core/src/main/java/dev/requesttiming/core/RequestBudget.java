package dev.requesttiming.core;

import dev.requesttiming.core.internal.engine.CurrentRequest;
import dev.requesttiming.core.internal.engine.InFlightRequest;
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
 * budgetOf(request)}). There are two kinds: a running request's, and the unlimited budget outside of
 * any request. Thread-safe: any thread may read a budget.
 */
public abstract sealed class RequestBudget permits InFlightRequest, UnlimitedBudget {

  /** For the two kinds only (the class is sealed). */
  protected RequestBudget() {}

  /** The budget of the request this thread serves; an unlimited budget outside of a request. */
  public static RequestBudget current() {
    RequestBudget budget = CurrentRequest.get();
    return budget != null ? budget : UnlimitedBudget.INSTANCE;
  }

  /** Whether this budget is unlimited (no request, or timing was off for it). */
  public abstract boolean isUnlimited();

  /** The request's whole budget: its endpoint's, or the caller's deadline when that is tighter. */
  public abstract Duration budget();

  /** How long the request has been running. */
  public abstract Duration elapsed();

  /** The time left before the budget runs out; never negative. */
  public abstract Duration remaining();

  /** The smaller of {@link #remaining()} and {@code max}: a timeout for a call that has its own limit. */
  public final Duration remainingOr(Duration max) {
    Objects.requireNonNull(max, "max == null");
    Duration remaining = remaining();
    return remaining.compareTo(max) < 0 ? remaining : max;
  }

  /** Whether the budget has run out. */
  public abstract boolean isExpired();

  /** The wall-clock instant at which the budget runs out; {@link Instant#MAX} when unlimited. */
  public abstract Instant deadline();

  /** Runs {@code task} with this thread's current budget, wherever it runs. */
  public static Runnable wrap(Runnable task) {
    Objects.requireNonNull(task, "task == null");
    InFlightRequest budget = CurrentRequest.get();
    if (budget == null) {
      return task;
    }
    return () -> {
      @Nullable InFlightRequest previous = CurrentRequest.enter(budget);
      try {
        task.run();
      } finally {
        CurrentRequest.exit(previous);
      }
    };
  }

  /** Calls {@code task} with this thread's current budget, wherever it runs. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    Objects.requireNonNull(task, "task == null");
    InFlightRequest budget = CurrentRequest.get();
    if (budget == null) {
      return task;
    }
    return () -> {
      @Nullable InFlightRequest previous = CurrentRequest.enter(budget);
      try {
        return task.call();
      } finally {
        CurrentRequest.exit(previous);
      }
    };
  }

  /** An executor whose tasks run with the budget current when each is submitted. */
  public static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor == null");
    return task -> executor.execute(wrap(task));
  }
}
