package dev.requesttiming.core;

import dev.requesttiming.core.internal.engine.CurrentRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

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
 * budgetOf(request)}). The engine gives two kinds: a running request's, and the unlimited budget outside
 * of any request. Thread-safe: any thread may read a budget.
 */
public interface RequestBudget {

  /** The budget of the request this thread serves; an unlimited budget outside of a request. */
  static RequestBudget current() {
    return CurrentRequest.budget();
  }

  /** Whether this budget is unlimited (no request, or timing was off for it). */
  boolean isUnlimited();

  /** The request's whole budget: its endpoint's, or the caller's deadline when that is tighter. */
  Duration budget();

  /** How long the request has been running. */
  Duration elapsed();

  /** The time left before the budget runs out; never negative. */
  Duration remaining();

  /** The smaller of {@link #remaining()} and {@code max}: a timeout for a call that has its own limit. */
  default Duration remainingOr(Duration max) {
    Objects.requireNonNull(max, "max == null");
    Duration remaining = remaining();
    return remaining.compareTo(max) < 0 ? remaining : max;
  }

  /** Whether the budget has run out. */
  boolean isExpired();

  /** The wall-clock instant at which the budget runs out; {@link Instant#MAX} when unlimited. */
  Instant deadline();

  /** Runs {@code task} with this thread's current budget, wherever it runs. */
  static Runnable wrap(Runnable task) {
    return CurrentRequest.wrap(Objects.requireNonNull(task, "task == null"));
  }

  /** Calls {@code task} with this thread's current budget, wherever it runs. */
  static <T> Callable<T> wrap(Callable<T> task) {
    return CurrentRequest.wrap(Objects.requireNonNull(task, "task == null"));
  }

  /** An executor whose tasks run with the budget current when each is submitted. */
  static Executor wrap(Executor executor) {
    Objects.requireNonNull(executor, "executor == null");
    return task -> executor.execute(wrap(task));
  }
}
