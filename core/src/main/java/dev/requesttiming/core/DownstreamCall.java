package dev.requesttiming.core;

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

  private final @Nullable RequestBudget request;
  private final String target;
  private final long startNanos;
  private final long deadlineNanos;

  private DownstreamCall(@Nullable RequestBudget request, String target, long startNanos, long deadlineNanos) {
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
    RequestBudget request = RequestBudget.current();
    RequestTiming timing = request.timing;
    if (timing == null || request.isFinished()) {
      return unbounded(target);
    }
    try {
      return bounded(timing, request, target);
    } catch (RuntimeException | LinkageError e) { // never our failure instead of the app's call
      timing.failOpen.failed("bounding a downstream call", e);
      return unbounded(target);
    }
  }

  private static DownstreamCall unbounded(String target) {
    return new DownstreamCall(null, target, 0, Long.MAX_VALUE);
  }

  private static DownstreamCall bounded(RequestTiming timing, RequestBudget request, String target)
      throws BudgetExhaustedException {
    long now = timing.clock.monotonicTime();
    long allowed = request.remainingNanosAt(now) - reserveNanos(timing, request);
    if (allowed < MIN_TIMEOUT_NANOS) {
      throw exhausted(
          timing, request, target, now, " has no budget left for " + target + ": ", "; the call was not made", null);
    }
    DownstreamCall call = new DownstreamCall(request, target, now, now + allowed);
    timing.downstreamCalls.enter(request, call);
    return call;
  }

  /** The configured reserve, but at most half of the request's budget (a tiny budget keeps calls possible). */
  private static long reserveNanos(RequestTiming timing, RequestBudget request) {
    return Math.min(timing.config.downstreamReserve().toNanos(), timing.budgetNanos(request) / 2);
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
    RequestBudget r = request;
    if (r == null || r.timing == null) {
      return own;
    }
    long left = Math.max(MIN_TIMEOUT_NANOS, deadlineNanos - r.timing.clock.monotonicTime());
    boolean ownIsShorter = own != null && !own.isNegative() && !own.isZero() && own.toNanos() <= left;
    return ownIsShorter ? own : Duration.ofNanos(left);
  }

  /** The {@code deadline-header} to send with the call, or null when none is configured or unbounded. */
  public @Nullable String deadlineHeader() {
    return request == null || request.timing == null ? null : request.timing.config.deadlineHeader();
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
    RequestBudget r = request;
    return r != null && r.timing != null && r.timing.clock.monotonicTime() >= deadlineNanos - MIN_TIMEOUT_NANOS;
  }

  /** The exception for this call cut off at its deadline, with the client's own error as the cause. */
  public BudgetExhaustedException cutOff(@Nullable Throwable cause) {
    RequestBudget r = Objects.requireNonNull(request, "an unbounded call has no deadline");
    RequestTiming timing = Objects.requireNonNull(r.timing);
    long now = timing.clock.monotonicTime();
    return exhausted(
        timing, r, target, now,
        " gave up on " + target + " after " + ConfigText.latency(now - startNanos) + ": ",
        "", cause);
  }

  /**
   * Reports a failure in an adapter's handling of this call (e.g. a header it could not set) like
   * the core's own: counted, logged at most once a minute; the call goes on. Never throws.
   */
  public void failedOpen(String where, Throwable error) {
    RequestBudget r = request;
    if (r != null && r.timing != null) {
      r.timing.failedOpen(where, error);
    }
  }

  /** Ends the call: the request no longer waits on it. */
  @Override
  public void close() {
    RequestBudget r = request;
    if (r != null && r.timing != null) {
      r.timing.downstreamCalls.exit(r, this);
    }
  }

  /** Method, host and path, e.g. {@code POST rag.internal/v1/query}: never the query. */
  String target() {
    return target;
  }

  long startNanos() {
    return startNanos;
  }

  private static String target(String method, URI uri) {
    String host = uri.getHost() == null ? "?" : uri.getHost();
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return SafeText.of(method.toUpperCase(Locale.ROOT), 16) + " " + SafeText.of(host + port + path, 200);
  }

  private static BudgetExhaustedException exhausted(
      RequestTiming timing,
      RequestBudget request,
      String target,
      long now,
      String what,
      String after,
      @Nullable Throwable cause) {
    String endpoint = request.method.name() + " " + timing.runningName(request).uri();
    long budget = timing.budgetNanos(request);
    long elapsed = Math.max(0, now - request.startNanos);
    BudgetExhaustedException e =
        new BudgetExhaustedException(
            endpoint + what + ConfigText.latency(elapsed) + " of its " + ConfigText.nanos(budget)
                + " budget gone, " + ConfigText.nanos(reserveNanos(timing, request)) + " kept to answer" + after,
            endpoint, target, Duration.ofNanos(budget), Duration.ofNanos(elapsed));
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }
}
