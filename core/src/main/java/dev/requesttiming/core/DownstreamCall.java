package dev.requesttiming.core;

import dev.requesttiming.core.internal.engine.CurrentRequest;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.SafeText;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
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
 * {@code RestClient} and {@code RestTemplate}.
 */
public final class DownstreamCall implements AutoCloseable {

  private static final long MIN_TIMEOUT_NANOS = 1_000_000;

  private final @Nullable InFlightRequest request;
  private final String target;
  private final long startNanos;
  private final long deadlineNanos;

  private DownstreamCall(@Nullable InFlightRequest request, String target, long startNanos, long deadlineNanos) {
    this.request = request;
    this.target = target;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Starts a call to {@code method uri} within the budget of the request this thread serves.
   *
   * @throws BudgetExhaustedException when less than the reserve is left: the call should not be made
   */
  public static DownstreamCall start(String method, URI uri) throws BudgetExhaustedException {
    Objects.requireNonNull(method, "method == null");
    Objects.requireNonNull(uri, "uri == null");
    return begin(target(method, uri));
  }

  /** Starts a call described by {@code target} (method, host and path; or what it is). */
  static DownstreamCall begin(String target) throws BudgetExhaustedException {
    InFlightRequest request = CurrentRequest.get();
    if (request == null || request.isFinished()) {
      return unbounded(target);
    }
    try {
      return bounded(request.engine(), request, target);
    } catch (RuntimeException | LinkageError e) { // never our failure instead of the app's call
      request.engine().failOpen().failed("bounding a downstream call", e);
      return unbounded(target);
    }
  }

  private static DownstreamCall unbounded(String target) {
    return new DownstreamCall(null, target, 0, Long.MAX_VALUE);
  }

  private static DownstreamCall bounded(Engine engine, InFlightRequest request, String target)
      throws BudgetExhaustedException {
    long now = engine.clock().monotonicTime();
    long allowed = request.remainingNanosAt(now) - reserveNanos(engine, request);
    if (allowed < MIN_TIMEOUT_NANOS) {
      throw exhausted(
          engine, request, target, now, " has no budget left for " + target + ": ", "; the call was not made", null);
    }
    DownstreamCall call = new DownstreamCall(request, target, now, now + allowed);
    engine.downstreamCalls().enter(request, call);
    return call;
  }

  /** The configured reserve, but at most half of the request's budget (a tiny budget keeps calls possible). */
  private static long reserveNanos(Engine engine, InFlightRequest request) {
    return Math.min(engine.settings().downstreamReserve().toNanos(), engine.budgetNanos(request) / 2);
  }

  /** Whether the call is bounded by a request's budget (false outside a timed request). */
  public boolean isBounded() {
    return request != null;
  }

  /**
   * The timeout to give the call: the time left until its deadline when that is shorter than
   * {@code own} (the call's own timeout; null, zero or negative for none), else {@code own}. At
   * least a millisecond; null only when unbounded and {@code own} is null.
   */
  public @Nullable Duration timeout(@Nullable Duration own) {
    InFlightRequest r = request;
    if (r == null) {
      return own;
    }
    long left = Math.max(MIN_TIMEOUT_NANOS, deadlineNanos - r.engine().clock().monotonicTime());
    boolean ownIsShorter = own != null && !own.isNegative() && !own.isZero() && own.toNanos() <= left;
    return ownIsShorter ? own : Duration.ofNanos(left);
  }

  /** The {@code deadline-header} to send with the call, or null when none is configured or unbounded. */
  public @Nullable String deadlineHeader() {
    return request == null ? null : request.engine().settings().deadlineHeader();
  }

  /**
   * The value of {@link #deadlineHeader()}: the milliseconds left until the call's deadline, in
   * gRPC's form ({@code 1750m}) when the header is {@code grpc-timeout}.
   */
  public String deadlineHeaderValue() {
    Duration left = timeout(null);
    long millis = left == null ? 0 : Math.max(1, left.toMillis());
    String header = deadlineHeader();
    return header != null && header.equalsIgnoreCase("grpc-timeout") ? millis + "m" : Long.toString(millis);
  }

  /** Whether the call's deadline has passed: a timeout now is the budget's. */
  public boolean isOverdue() {
    InFlightRequest r = request;
    return r != null && r.engine().clock().monotonicTime() >= deadlineNanos - MIN_TIMEOUT_NANOS;
  }

  /** The exception for this call cut off at its deadline, with the client's own error as the cause. */
  public BudgetExhaustedException cutOff(@Nullable Throwable cause) {
    InFlightRequest r = Objects.requireNonNull(request, "an unbounded call has no deadline");
    long now = r.engine().clock().monotonicTime();
    return exhausted(
        r.engine(), r, target, now,
        " gave up on " + target + " after " + Durations.latency(now - startNanos) + ": ",
        "", cause);
  }

  /**
   * Reports a failure in an adapter's handling of this call (e.g. a header it could not set) like
   * the core's own: counted, logged at most once a minute; the call goes on. Never throws.
   */
  public void failedOpen(String where, Throwable error) {
    InFlightRequest r = request;
    if (r != null) {
      r.engine().failOpen().failed(where, error);
    }
  }

  /** Ends the call: the request no longer waits on it. */
  @Override
  public void close() {
    InFlightRequest r = request;
    if (r != null) {
      r.engine().downstreamCalls().exit(r, this);
    }
  }

  /** Method, host and path, e.g. {@code POST rag.internal/v1/query}: never the query. */
  public String target() {
    return target;
  }

  /** When the call started, on the engine's clock (for what a flag says it waits on). */
  public long startNanos() {
    return startNanos;
  }

  private static String target(String method, URI uri) {
    String host = uri.getHost() == null ? "?" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return SafeText.of(method.toUpperCase(Locale.ROOT), 16) + " " + SafeText.of(host + port + path, 200);
  }

  private static BudgetExhaustedException exhausted(
      Engine engine,
      InFlightRequest request,
      String target,
      long now,
      String what,
      String after,
      @Nullable Throwable cause) {
    String endpoint = request.method().name() + " " + engine.runningName(request).uri();
    long budget = engine.budgetNanos(request);
    long elapsed = Math.max(0, now - request.startNanos());
    BudgetExhaustedException e =
        new BudgetExhaustedException(
            endpoint + what + Durations.latency(elapsed) + " of its " + Durations.nanos(budget)
                + " budget gone, " + Durations.nanos(reserveNanos(engine, request)) + " kept to answer" + after,
            endpoint, target, Duration.ofNanos(budget), Duration.ofNanos(elapsed));
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }
}
