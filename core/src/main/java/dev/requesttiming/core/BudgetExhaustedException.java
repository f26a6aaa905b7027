package dev.requesttiming.core;

import java.io.InterruptedIOException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A downstream call was not made, or was cut off, because the incoming request's budget ran out:
 * waiting longer would have outlived the worker. An {@link java.io.IOException}, so HTTP clients
 * report it as they report a timeout (Spring's {@code RestClient} wraps it in a {@code
 * ResourceAccessException}), and an {@link InterruptedIOException}, which retry policies do not
 * retry.
 */
public final class BudgetExhaustedException extends InterruptedIOException {

  private static final long serialVersionUID = 1L;

  private final String endpoint;
  private final String downstream;
  private final Duration budget;
  private final Duration elapsed;

  /**
   * An exception for a call to {@code downstream} that the budget of a request to {@code endpoint}
   * did not allow.
   */
  public BudgetExhaustedException(String message, String endpoint, String downstream, Duration budget, Duration elapsed) {
    super(message);
    this.endpoint = endpoint;
    this.downstream = downstream;
    this.budget = budget;
    this.elapsed = elapsed;
  }

  /**
   * The budget exception in {@code error}'s chain of causes, or null: clients wrap it (Spring's
   * {@code RestClient} in a {@code ResourceAccessException}), so a handler looks for it there.
   */
  public static @Nullable BudgetExhaustedException in(@Nullable Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof BudgetExhaustedException budget) {
        return budget;
      }
    }
    return null;
  }

  /** The incoming request's endpoint, e.g. {@code GET /api/chat}. */
  public String endpoint() {
    return endpoint;
  }

  /** The call that was refused or cut off: method, host and path, e.g. {@code POST rag.internal/v1/query}. */
  public String downstream() {
    return downstream;
  }

  /** The incoming request's whole budget. */
  public Duration budget() {
    return budget;
  }

  /** How long the incoming request had run when the call was refused or cut off. */
  public Duration elapsed() {
    return elapsed;
  }
}
