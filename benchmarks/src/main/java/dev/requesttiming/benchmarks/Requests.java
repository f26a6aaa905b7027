package dev.requesttiming.benchmarks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Cheap, reusable fake requests: about 50 distinct paths of {@code /api/users/{n}} plus a few other
 * templates, cycled through; the chain sets the route template as Spring MVC does, and status 200.
 */
final class Requests implements RequestSource {

  static final String BEST_MATCHING_PATTERN =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  private static final String[][] TEMPLATES = {
    {"/api/orders/{id}", "/api/orders/"}, {"/api/items/{id}", "/api/items/"}, {"/api/carts/{id}", "/api/carts/"}
  };

  private final MockHttpServletRequest[] requests;
  private final String[] routes;
  private final MockHttpServletResponse response = new MockHttpServletResponse();
  private final String stampHeader;
  private int next;
  private int current;

  Requests() {
    this(null);
  }

  /**
   * Requests stamped in {@code stampHeader} as nginx stamps them ({@code t=${msec}}), 0 to 49 ms
   * ago, when it is not null; {@link #restamp} brings the stamps up to date.
   */
  Requests(String stampHeader) {
    int users = 50;
    requests = new MockHttpServletRequest[users + TEMPLATES.length * 4];
    routes = new String[requests.length];
    this.stampHeader = stampHeader;
    int i = 0;
    for (int n = 0; n < users; n++, i++) {
      requests[i] = new MockHttpServletRequest("GET", "/api/users/" + (1000 + n));
      routes[i] = "/api/users/{id}";
    }
    for (String[] template : TEMPLATES) {
      for (int n = 0; n < 4; n++, i++) {
        requests[i] = new MockHttpServletRequest("GET", template[1] + (7 + n));
        routes[i] = template[0];
      }
    }
    restamp();
  }

  /** Stamps each request afresh: waits of 0 to 49 ms from now, spread over the requests. */
  void restamp() {
    if (stampHeader == null) {
      return;
    }
    long now = System.currentTimeMillis();
    for (int i = 0; i < requests.length; i++) {
      long stamp = now - (i * 7L) % 50;
      requests[i].removeHeader(stampHeader);
      requests[i].addHeader(stampHeader, "t=" + stamp / 1000 + "." + String.format("%03d", stamp % 1000));
    }
  }

  /** The next request, with no attributes left from its last use. */
  @Override
  public MockHttpServletRequest next() {
    MockHttpServletRequest request = requests[advance()];
    request.clearAttributes();
    return request;
  }

  /** Moves on to the next request, which {@link #chain} then routes; its index. */
  int advance() {
    int i = next;
    next = i + 1 == requests.length ? 0 : i + 1;
    current = i;
    return i;
  }

  /** How many distinct requests there are. */
  int size() {
    return requests.length;
  }

  String path(int i) {
    return requests[i].getRequestURI();
  }

  @Override
  public MockHttpServletResponse response() {
    response.setStatus(0);
    return response;
  }

  /** A chain that routes like Spring MVC (sets the best-matching pattern) and answers 200. */
  @Override
  public FilterChain chain() {
    return (req, res) -> {
      req.setAttribute(BEST_MATCHING_PATTERN, routes[current]);
      ((HttpServletResponse) res).setStatus(200);
    };
  }
}
