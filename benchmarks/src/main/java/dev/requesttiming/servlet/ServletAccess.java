package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestAdapter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * Lets {@code benchmarks/} use the servlet filter's own request adapter. It lives in the benchmarks
 * module only and is not part of any published artifact.
 */
public final class ServletAccess {

  private ServletAccess() {}

  /** The adapter the filter of a root web app reads servlet requests with, for these route attributes. */
  public static RequestAdapter<HttpServletRequest> requests(List<String> routeAttributes) {
    return requests(routeAttributes, "");
  }

  /** The adapter the filter of the web app at {@code contextPath} reads servlet requests with. */
  public static RequestAdapter<HttpServletRequest> requests(List<String> routeAttributes, String contextPath) {
    return new ServletRequests(routeAttributes, contextPath);
  }
}
