package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestAdapter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads servlet requests for the core: the path within the web app (without its context path),
 * when the container received it ({@link ContainerReceipt}), and the route template from the first
 * of the configured request attributes that is set. The
 * watchdog reads the route from its own thread; a request the container has recycled meanwhile
 * (Tomcat's facade then throws) has finished, so it simply has no route to show.
 */
final class ServletRequests implements RequestAdapter<HttpServletRequest> {

  private final String[] routeAttributes;
  /** The web app's context path, as its servlet context names it; null if it could not be read. */
  private final @Nullable String contextPath;

  /** @param contextPath the filter's {@code ServletContext.getContextPath()}; null if not known */
  ServletRequests(List<String> routeAttributes, @Nullable String contextPath) {
    this.routeAttributes = routeAttributes.toArray(new String[0]);
    this.contextPath = contextPath;
  }

  @Override
  public String method(HttpServletRequest request) {
    return request.getMethod();
  }

  @Override
  public String scheme(HttpServletRequest request) {
    return request.getScheme();
  }

  /**
   * The request URI without the web app's context path, as routes and exclude patterns name it. The
   * context path comes from the servlet context where the URI starts with it, as it nearly always
   * does: Tomcat's {@code request.getContextPath()} decodes and normalizes the URI on every call,
   * 60 ns and 208 bytes for a web app not at the root. Only a URI that spells it otherwise (encoded,
   * with path parameters or doubled slashes) asks the request.
   */
  @Override
  public String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    if (uri == null) {
      return "/";
    }
    String known = contextPath;
    if (known != null && known.isEmpty()) {
      return uri; // the root web app
    }
    if (known != null && uri.startsWith(known) && (uri.length() == known.length() || uri.charAt(known.length()) == '/')) {
      return uri.substring(known.length());
    }
    String asSent = request.getContextPath();
    return asSent == null || asSent.isEmpty() || !uri.startsWith(asSent) ? uri : uri.substring(asSent.length());
  }

  @Override
  public @Nullable String header(HttpServletRequest request, String name) {
    return request.getHeader(name);
  }

  /** When Tomcat or Jetty received it; not known in other containers, or when wrapped before the filter. */
  @Override
  public long receivedNanos(HttpServletRequest request) {
    return ContainerReceipt.nanos(request);
  }

  @Override
  public @Nullable String route(HttpServletRequest request) {
    try {
      for (String attribute : routeAttributes) {
        if (request.getAttribute(attribute) instanceof String route && !route.isEmpty()) {
          return route;
        }
      }
    } catch (IllegalStateException recycled) {
      // the request finished and its object went back to the container
    }
    return null;
  }
}
