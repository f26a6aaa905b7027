package dev.requesttiming.servlet;

import dev.requesttiming.core.LiveView;
import dev.requesttiming.core.RequestTiming;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The live view of a {@link RequestTimingFilter} in the same web app: the page at the mapping's
 * root and its JSON at {@code snapshot.json} ({@code ?running=N}: the oldest N requests in flight,
 * {@value LiveView#DEFAULT_RUNNING} by default). Nothing is served unless the app maps it, and it shows what runs in the app: keep
 * it behind authentication.
 *
 * <pre>{@code
 * ServletRegistration.Dynamic view = servletContext.addServlet("requestTimingView", new RequestTimingViewServlet());
 * view.addMapping("/admin/timing/*");     // the page: /admin/timing/
 * }</pre>
 *
 * <p>Every response carries {@link LiveView#HEADERS} (a strict Content-Security-Policy, {@code
 * nosniff}, {@code no-store}). Without a running filter it answers 503.
 */
public final class RequestTimingViewServlet extends HttpServlet {

  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    LiveView.HEADERS.forEach(response::setHeader);
    String path = request.getPathInfo();
    if (path == null) { // mapped as /admin/timing/*, asked for /admin/timing: the page's relative links need the slash
      String servletPath = request.getServletPath();
      response.sendRedirect(servletPath.substring(servletPath.lastIndexOf('/') + 1) + "/"); // relative: never to another host
      return;
    }
    String name = path.equals("/") ? "index.html" : path.substring(1);
    if (name.equals("snapshot.json")) {
      snapshot(request, response);
      return;
    }
    LiveView.Asset asset = LiveView.asset(name, "snapshot.json", "");
    if (asset == null) {
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    response.setContentType(asset.contentType());
    response.setContentLength(asset.content().length);
    response.getOutputStream().write(asset.content());
  }

  private void snapshot(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Object timing = getServletContext().getAttribute(RequestTimingFilter.TIMING_ATTRIBUTE);
    if (!(timing instanceof RequestTiming<?> running)) {
      response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE, "request-timing is not running in this app");
      return;
    }
    byte[] json = running.reports().liveJson(runningParameter(request)).getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json;charset=utf-8");
    response.setContentLength(json.length);
    response.getOutputStream().write(json);
  }

  private static int runningParameter(HttpServletRequest request) {
    String value = request.getParameter("running");
    if (value == null || value.isEmpty() || value.length() > 4 || !value.chars().allMatch(Character::isDigit)) {
      return LiveView.DEFAULT_RUNNING;
    }
    return Integer.parseInt(value);
  }
}
