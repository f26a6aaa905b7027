package dev.requesttiming.core;

import dev.requesttiming.core.internal.engine.RealDownstreamCall;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Hands the budget of the request being served to downstream calls: the JDK's {@code HttpClient},
 * and a timeout for anything else. Each gives up at the remaining budget minus {@code
 * downstream-reserve} when that is shorter than its own timeout, and throws {@link
 * BudgetExhaustedException} when nothing is left. Outside a timed request nothing changes.
 *
 * <pre>{@code
 * HttpResponse<String> answer = DownstreamBudget.send(client, request, BodyHandlers.ofString());
 * statement.setQueryTimeout(DownstreamBudget.seconds(Duration.ofSeconds(20)));  // JDBC
 * future.get(DownstreamBudget.timeout(Duration.ofSeconds(20)).toMillis(), MILLISECONDS);
 * }</pre>
 */
public final class DownstreamBudget {

  private DownstreamBudget() {}

  /**
   * Sends {@code request} with a timeout capped at the budget, the {@code deadline-header} when one
   * is configured, and the request marked as waiting on it for its flags.
   *
   * @throws BudgetExhaustedException when nothing is left (no call is made) or the budget's timeout
   *     cut the call off (its cause is the client's {@link HttpTimeoutException})
   */
  public static <T> HttpResponse<T> send(HttpClient client, HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    try (DownstreamCall call = DownstreamCall.start(request.method(), request.uri())) {
      if (!call.isBounded()) {
        return client.send(request, handler);
      }
      HttpRequest.Builder bounded = copyOf(request);
      apply(call, bounded, request.timeout().orElse(null));
      try {
        return client.send(bounded.build(), handler);
      } catch (HttpTimeoutException e) {
        throw call.isOverdue() ? call.cutOff(e) : e;
      }
    }
  }

  /**
   * Sets the builder's timeout to the smaller of {@code own} and what the budget leaves, and adds
   * the {@code deadline-header} when one is configured. For calls sent some other way than {@link
   * #send}; they are not named in flags.
   *
   * @param own the call's own timeout, or null for none
   * @throws BudgetExhaustedException when nothing is left
   */
  public static HttpRequest.Builder apply(HttpRequest.Builder builder, @Nullable Duration own)
      throws BudgetExhaustedException {
    try (DownstreamCall call = RealDownstreamCall.begin("a downstream call")) {
      return apply(call, builder, own);
    }
  }

  /**
   * A timeout for any other call (a {@code Future}, a database query): the smaller of {@code own}
   * and what the budget leaves.
   *
   * @throws BudgetExhaustedException when nothing is left
   */
  public static Duration timeout(Duration own) throws BudgetExhaustedException {
    try (DownstreamCall call = RealDownstreamCall.begin("a downstream call")) {
      Duration timeout = call.timeout(own);
      return timeout == null ? own : timeout;
    }
  }

  /** {@link #timeout} in whole seconds, rounded up, for JDBC's {@code Statement.setQueryTimeout}. */
  public static int seconds(Duration own) throws BudgetExhaustedException {
    long millis = timeout(own).toMillis();
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (millis + 999) / 1000));
  }

  /** A builder holding the request as it is (Java 16's {@code HttpRequest.newBuilder(request, filter)}, on Java 11). */
  private static HttpRequest.Builder copyOf(HttpRequest request) {
    HttpRequest.Builder copy = HttpRequest.newBuilder(request.uri()).expectContinue(request.expectContinue());
    request.version().ifPresent(copy::version);
    request.timeout().ifPresent(copy::timeout);
    request.headers().map().forEach((name, values) -> values.forEach(value -> copy.header(name, value)));
    return copy.method(request.method(), request.bodyPublisher().orElse(HttpRequest.BodyPublishers.noBody()));
  }

  private static HttpRequest.Builder apply(DownstreamCall call, HttpRequest.Builder builder, @Nullable Duration own) {
    Duration timeout = call.timeout(own);
    if (timeout != null) {
      builder.timeout(timeout);
    }
    String header = call.deadlineHeader();
    if (header != null) {
      try {
        builder.setHeader(header, call.deadlineHeaderValue());
      } catch (IllegalArgumentException e) { // a header the JDK client does not let callers set
        call.failedOpen("setting the deadline header on a JDK HttpClient request", e);
      }
    }
    return builder;
  }
}
