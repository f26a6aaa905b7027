package dev.requesttiming.core;

import org.jspecify.annotations.Nullable;

/**
 * How an adapter reads its framework's requests for {@link RequestTiming}: the servlet filter's
 * reads a servlet request. One stateless instance per adapter, so that a request costs no wrapper
 * object.
 *
 * <ol>
 *   <li>{@link #method}, {@link #scheme}, {@link #path} and {@link #header} are called on the thread
 *       that starts the request.
 *   <li>{@link #route} is called when the request finishes, and by the watchdog and reporter threads
 *       while it runs: it must be safe to call from another thread, and may answer null until the
 *       framework has routed the request (or when the request has been recycled meanwhile).
 * </ol>
 *
 * @param <R> the framework's request type
 */
public interface RequestAdapter<R> {

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

  /** The route template the framework has set on the request, or null when none is known (yet). */
  default @Nullable String route(R request) {
    return null;
  }
}
