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

  ServletRequests(List<String> routeAttributes) {
    this.routeAttributes = routeAttributes.toArray(new String[0]);
  }

  @Override
  public String method(HttpServletRequest request) {
    return request.getMethod();
  }

  @Override
  public String scheme(HttpServletRequest request) {
    return request.getScheme();
  }

  /** The request URI without the web app's context path, as routes and exclude patterns name it. */
  @Override
  public String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String contextPath = request.getContextPath();
    if (uri == null) {
      return "/";
    }
    return contextPath == null || contextPath.isEmpty() || !uri.startsWith(contextPath)
        ? uri
        : uri.substring(contextPath.length());
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
