package dev.requesttiming.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The path within the web app: from the servlet context's path where the URI starts with it, else the request's. */
class ServletRequestsTest {

  private static HttpServletRequest request(String uri, String contextPathAsSent) {
    HttpServletRequest request = mock(HttpServletRequest.class);
    when(request.getRequestURI()).thenReturn(uri);
    when(request.getContextPath()).thenReturn(contextPathAsSent);
    return request;
  }

  private static String path(@Nullable String contextPath, HttpServletRequest request) {
    return new ServletRequests(List.of(), contextPath).path(request);
  }

  @Test
  void uriStartingWithTheContextPath_losesIt_withoutAskingTheRequest() {
    HttpServletRequest request = request("/shop/api/users/7", "/shop");
    assertThat(path("/shop", request)).isEqualTo("/api/users/7");
    verify(request, never()).getContextPath();
  }

  @Test
  void rootWebApp_keepsTheWholeUri_withoutAskingTheRequest() {
    HttpServletRequest request = request("/api/users/7", "");
    assertThat(path("", request)).isEqualTo("/api/users/7");
    verify(request, never()).getContextPath();
  }

  @Test
  void theContextItself_isTheEmptyPath() {
    assertThat(path("/shop", request("/shop", "/shop"))).isEmpty();
  }

  @Test
  void uriSpellingTheContextOtherwise_takesTheRequestsContextPath() {
    assertThat(path("/shop", request("/shop;jsessionid=1F/api/users/7", "/shop;jsessionid=1F"))).isEqualTo("/api/users/7");
    assertThat(path("/shop", request("//shop/api/users/7", "//shop"))).isEqualTo("/api/users/7");
    assertThat(path("/my app", request("/my%20app/api/users/7", "/my%20app"))).isEqualTo("/api/users/7");
  }

  @Test
  void aLongerFirstSegment_isNotTheContext() {
    HttpServletRequest request = request("/shopping/cart", "/shopping");
    assertThat(path("/shop", request)).isEqualTo("/cart");
    verify(request).getContextPath();
  }

  @Test
  void contextPathNotKnown_takesTheRequestsContextPath() {
    assertThat(path(null, request("/shop/api/users/7", "/shop"))).isEqualTo("/api/users/7");
  }

  @Test
  void noUri_isTheRoot() {
    HttpServletRequest request = mock(HttpServletRequest.class);
    assertThat(path("/shop", request)).isEqualTo("/");
  }
}
