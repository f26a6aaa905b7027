package dev.requesttiming.benchmarks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The requests of {@link Requests}, as Tomcat 10.1 hands them to a filter: its {@code RequestFacade}
 * over its connector and coyote requests, with the method, the path and the start time Tomcat marks
 * as it reads the request line (one clock read, as Tomcat does, counted in the baseline). Reused:
 * the chain sets the same route attribute again on each use.
 */
final class TomcatRequests {

  private final Requests paths = new Requests();
  private final org.apache.coyote.Request[] received;
  private final HttpServletRequest[] requests;

  TomcatRequests() {
    Connector connector = new Connector();
    received = new org.apache.coyote.Request[paths.size()];
    requests = new HttpServletRequest[paths.size()];
    for (int i = 0; i < paths.size(); i++) {
      org.apache.coyote.Request coyote = new org.apache.coyote.Request();
      coyote.method().setString("GET");
      coyote.scheme().setString("http");
      coyote.requestURI().setString(paths.path(i));
      Request request = new Request(connector);
      request.setCoyoteRequest(coyote);
      received[i] = coyote;
      requests[i] = request.getRequest();
    }
  }

  /** The next request, received now. */
  HttpServletRequest next() {
    int i = paths.advance();
    received[i].setStartTimeNanos(System.nanoTime());
    return requests[i];
  }

  MockHttpServletResponse response() {
    return paths.response();
  }

  /** A chain that routes like Spring MVC (sets the best-matching pattern) and answers 200. */
  FilterChain chain() {
    return paths.chain();
  }
}
