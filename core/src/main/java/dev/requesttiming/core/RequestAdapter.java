package dev.requesttiming.core;

import org.jspecify.annotations.Nullable;

/**
 * How an adapter reads its framework's requests for {@link RequestTiming}: the servlet filter's
 * reads a servlet request. One stateless instance per adapter, so that a request costs no wrapper
 * object.
 *
 * <ol>
 *   <li>{@link #method}, {@link #scheme}, {@link #path}, {@link #header} and {@link #receivedNanos}
 *       are called on the thread that starts the request.
 *   <li>{@link #route} is called when the request finishes, and by the watchdog and reporter threads
 *       while it runs: it must be safe to call from another thread, and may answer null until the
 *       framework has routed the request (or when the request has been recycled meanwhile).
 * </ol>
 *
 * @param <R> the framework's request type
 */
public interface RequestAdapter<R> {

  /** What {@link #receivedNanos} answers when the server does not say. */
  long NOT_KNOWN = Long.MIN_VALUE;

  /** The HTTP method as received. */
  String method(R request);

  /** The request path within the app: without the query string or a context path. */
  String path(R request);

  /** {@code http} or {@code https} (OpenTelemetry's {@code url.scheme}); {@code http} by default. */
  default String scheme(R request) {
    return "http";
  }

  /** The value of a request header, or null; none by default. */
  default @Nullable String header(R request, String name) {
    return null;
  }

  /**
   * When the server received the request, on {@link System#nanoTime()}'s clock, where it keeps that
   * (Tomcat, Jetty): the request's time then starts there, with no clock read of its own. {@link
   * #NOT_KNOWN} by default, and then the time starts at {@link RequestTiming#start}.
   */
  default long receivedNanos(R request) {
    return NOT_KNOWN;
  }

  /** The route template the framework has set on the request, or null when none is known (yet). */
  default @Nullable String route(R request) {
    return null;
  }
}
