package dev.requesttiming.spring;

import dev.requesttiming.core.LiveView;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.servlet.RequestTimingFilter;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.util.ClassUtils;
import org.springframework.util.MimeType;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The Actuator endpoint {@code requesttiming}: the live view's JSON at {@code /actuator/requesttiming}
 * and its page at {@code /actuator/requesttiming/view}. Like every endpoint it is served over the
 * web only once exposed ({@code management.endpoints.web.exposure.include=requesttiming}), under the
 * app's security rules for Actuator, and on the management port when there is one.
 */
@WebEndpoint(id = "requesttiming")
public class RequestTimingEndpoint {

  private static final boolean SPRING_MVC = ClassUtils.isPresent(
      "org.springframework.web.context.request.ServletRequestAttributes", RequestTimingEndpoint.class.getClassLoader());

  private final RequestTimingFilter filter;

  public RequestTimingEndpoint(RequestTimingFilter filter) {
    this.filter = filter;
  }

  /** The snapshot: the requests running now, the recent slow ones, the workers, the reports. */
  @ReadOperation(produces = "application/json")
  public WebEndpointResponse<String> snapshot() {
    securityHeaders();
    RequestTiming<?> timing = filter.timing();
    if (timing == null) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
    }
    return new WebEndpointResponse<>(timing.reports().liveJson(LiveView.DEFAULT_RUNNING), MimeType.valueOf("application/json"));
  }

  /** The page ({@code view}) and its script and style. */
  @ReadOperation(produces = {"text/html", "text/javascript", "text/css"})
  public WebEndpointResponse<byte[]> view(@Selector String file) {
    securityHeaders();
    LiveView.Asset asset = LiveView.asset(file.equals("view") ? "index.html" : file, "../requesttiming", "");
    if (asset == null) {
      return new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
    return new WebEndpointResponse<>(asset.content(), MimeType.valueOf(asset.contentType()));
  }

  /**
   * The view's headers (a strict Content-Security-Policy, nosniff, no-store), set on the response
   * Spring MVC serves the operation with: an endpoint's result carries no headers of its own.
   */
  private static void securityHeaders() {
    if (!SPRING_MVC) {
      return;
    }
    RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
    @Nullable HttpServletResponse response =
        attributes instanceof ServletRequestAttributes servlet ? servlet.getResponse() : null;
    if (response != null) {
      LiveView.HEADERS.forEach(response::setHeader);
    }
  }
}
