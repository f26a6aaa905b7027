package dev.requesttiming.core;

import dev.requesttiming.core.internal.engine.RealDownstreamCall;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A call to another service made while a request is served, bounded by what is left of the
 * request's budget minus {@code downstream-reserve} (the time kept to answer). While it runs, the
 * request's flags and stuck-site samples say what it waits on. Outside a timed request a call is
 * unbounded and all of this does nothing.
 *
 * <pre>{@code
 * try (DownstreamCall call = DownstreamCall.start("POST", uri)) { // throws if nothing is left
 *   connection.setReadTimeout((int) call.timeout(Duration.ofSeconds(90)).toMillis());
 *   ...
 * }
 * }</pre>
 *
 * {@link DownstreamBudget} does this for the JDK's {@code HttpClient}; the Spring Boot module for
 * {@code RestClient} and {@code RestTemplate}. Thread-safe.
 */
public interface DownstreamCall extends AutoCloseable {

  /**
   * Starts a call to {@code method uri} within the budget of the request this thread serves.
   *
   * @throws BudgetExhaustedException when less than the reserve is left: the call should not be made
   */
  static DownstreamCall start(String method, URI uri) throws BudgetExhaustedException {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(uri, "uri == null");
    return RealDownstreamCall.start(method, uri);
  }

  /** Whether the call is bounded by a request's budget (false outside a timed request). */
  boolean isBounded();

  /**
   * The timeout to give the call: the time left until its deadline when that is shorter than
   * {@code own} (the call's own timeout; null, zero or negative for none), else {@code own}. At
   * least a millisecond; null only when unbounded and {@code own} is null.
   */
  @Nullable Duration timeout(@Nullable Duration own);

  /** The {@code deadline-header} to send with the call, or null when none is configured or unbounded. */
  @Nullable String deadlineHeader();

  /**
   * The value of {@link #deadlineHeader()}: the milliseconds left until the call's deadline, in
   * gRPC's form ({@code 1750m}) when the header is {@code grpc-timeout}.
   */
  String deadlineHeaderValue();

  /** Whether the call's deadline has passed: a timeout now is the budget's. */
  boolean isOverdue();

  /** The exception for this call cut off at its deadline, with the client's own error as the cause. */
  BudgetExhaustedException cutOff(@Nullable Throwable cause);

  /**
   * Reports a failure in an adapter's handling of this call (e.g. a header it could not set) like
   * the core's own: counted, logged at most once a minute; the call goes on. Never throws.
   */
  void failedOpen(String where, Throwable error);

  /** Method, host and path, e.g. {@code POST rag.internal/v1/query}: never the query. */
  String target();

  /** Ends the call: the request no longer waits on it. Never throws. */
  @Override
  void close();
}
