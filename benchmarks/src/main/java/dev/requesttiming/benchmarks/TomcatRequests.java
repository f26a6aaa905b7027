package dev.requesttiming.benchmarks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The requests of {@link Requests}, as Tomcat 10.1 hands them to a filter: its {@code RequestFacade}
 * over its connector and coyote requests, with the method, the path and the start time Tomcat marks
 * as it reads the request line (one clock read, as Tomcat does, counted in the baseline). The path
 * arrives as bytes, as Tomcat parses it, so each request's URI is a string of its own, made by the
 * first that reads it (the chain reads it, as Spring MVC's {@code DispatcherServlet} does, so the
 * baseline pays for making it). Reused: the chain sets the same route attribute again on each use.
 */
final class TomcatRequests implements RequestSource {

  private final Requests paths = new Requests();
  private final org.apache.coyote.Request[] received;
  private final byte[][] uris;
  private final HttpServletRequest[] requests;

  TomcatRequests() {
    Connector connector = new Connector();
    received = new org.apache.coyote.Request[paths.size()];
    requests = new HttpServletRequest[paths.size()];
    uris = new byte[paths.size()][];
    for (int i = 0; i < paths.size(); i++) {
      org.apache.coyote.Request coyote = new org.apache.coyote.Request();
      coyote.method().setString("GET");
      coyote.scheme().setString("http");
      uris[i] = paths.path(i).getBytes(StandardCharsets.ISO_8859_1);
      Request request = new Request(connector);
      request.setCoyoteRequest(coyote);
      received[i] = coyote;
      requests[i] = request.getRequest();
    }
  }

  /** The next request, received now, its path parsed afresh. */
  @Override
  public HttpServletRequest next() {
    int i = paths.advance();
    received[i].setStartTimeNanos(System.nanoTime());
    received[i].requestURI().setBytes(uris[i], 0, uris[i].length);
    return requests[i];
  }

  @Override
  public MockHttpServletResponse response() {
    return paths.response();
  }

  /** A chain that routes like Spring MVC (reads the URI, sets the best-matching pattern) and answers 200. */
  @Override
  public FilterChain chain() {
    FilterChain routes = paths.chain();
    return (req, res) -> {
      ((HttpServletRequest) req).getRequestURI();
      routes.doFilter(req, res);
    };
  }
}
