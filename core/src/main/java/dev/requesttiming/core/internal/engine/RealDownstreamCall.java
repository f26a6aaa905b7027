package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.BudgetExhaustedException;
import dev.requesttiming.core.DownstreamCall;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.SafeText;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link DownstreamCall} within the budget of the request that makes it: its deadline, what it
 * says when cut off, and its place in {@link DownstreamCalls} while it runs (where flags and samples
 * name it). Outside a timed request, an unbounded call that does nothing. Immutable; {@link #close}
 * may be called from any thread.
 */
public final class RealDownstreamCall implements DownstreamCall {

  private static final long MIN_TIMEOUT_NANOS = 1_000_000;

  private final @Nullable InFlightRequest request;
  private final String target;
  private final long startNanos;
  private final long deadlineNanos;

  private RealDownstreamCall(@Nullable InFlightRequest request, String target, long startNanos, long deadlineNanos) {
    this.request = request;
    this.target = target;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
  }

  /** {@link DownstreamCall#start}. */
  public static RealDownstreamCall start(String method, URI uri) throws BudgetExhaustedException {
    return begin(target(method, uri));
  }

  /** Starts a call described by {@code target} (method, host and path; or what it is). */
  public static RealDownstreamCall begin(String target) throws BudgetExhaustedException {
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

  private static RealDownstreamCall unbounded(String target) {
    return new RealDownstreamCall(null, target, 0, Long.MAX_VALUE);
  }

  private static RealDownstreamCall bounded(Engine engine, InFlightRequest request, String target)
      throws BudgetExhaustedException {
    long now = engine.clock().monotonicTime();
    long allowed = request.remainingNanosAt(now) - reserveNanos(engine, request);
    if (allowed < MIN_TIMEOUT_NANOS) {
      throw exhausted(
          engine, request, target, now, " has no budget left for " + target + ": ", "; the call was not made", null);
    }
    RealDownstreamCall call = new RealDownstreamCall(request, target, now, now + allowed);
    engine.downstreamCalls().enter(request, call);
    return call;
  }

  /** The configured reserve, but at most half of the request's budget (a tiny budget keeps calls possible). */
  private static long reserveNanos(Engine engine, InFlightRequest request) {
    return Math.min(engine.settings().downstreamReserve().toNanos(), engine.budgetNanos(request) / 2);
  }

  @Override
  public boolean isBounded() {
    return request != null;
  }

  @Override
  public @Nullable Duration timeout(@Nullable Duration own) {
    InFlightRequest r = request;
    if (r == null) {
      return own;
    }
    long left = Math.max(MIN_TIMEOUT_NANOS, deadlineNanos - r.engine().clock().monotonicTime());
    boolean ownIsShorter = own != null && !own.isNegative() && !own.isZero() && own.toNanos() <= left;
    return ownIsShorter ? own : Duration.ofNanos(left);
  }

  @Override
  public @Nullable String deadlineHeader() {
    return request == null ? null : request.engine().settings().deadlineHeader();
  }

  @Override
  public String deadlineHeaderValue() {
    Duration left = timeout(null);
    long millis = left == null ? 0 : Math.max(1, left.toMillis());
    String header = deadlineHeader();
    return header != null && header.equalsIgnoreCase("grpc-timeout") ? millis + "m" : Long.toString(millis);
  }

  @Override
  public boolean isOverdue() {
    InFlightRequest r = request;
    return r != null && r.engine().clock().monotonicTime() >= deadlineNanos - MIN_TIMEOUT_NANOS;
  }

  @Override
  public BudgetExhaustedException cutOff(@Nullable Throwable cause) {
    InFlightRequest r = Objects.requireNonNull(request, "an unbounded call has no deadline");
    long now = r.engine().clock().monotonicTime();
    return exhausted(
        r.engine(), r, target, now,
        " gave up on " + target + " after " + Durations.latency(now - startNanos) + ": ",
        "", cause);
  }

  @Override
  public void failedOpen(String where, Throwable error) {
    InFlightRequest r = request;
    if (r != null) {
      r.engine().failOpen().failed(where, error);
    }
  }

  @Override
  public void close() {
    InFlightRequest r = request;
    if (r != null) {
      r.engine().downstreamCalls().exit(r, this);
    }
  }

  @Override
  public String target() {
    return target;
  }

  /** When the call started, on the engine's clock: for what a flag and the live view say it waits on. */
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
            endpoint + what + Durations.latency(elapsed) + " of its " + Durations.configured(budget)
                + " budget gone, " + Durations.configured(reserveNanos(engine, request)) + " kept to answer" + after,
            endpoint, target, Duration.ofNanos(budget), Duration.ofNanos(elapsed));
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }
}
