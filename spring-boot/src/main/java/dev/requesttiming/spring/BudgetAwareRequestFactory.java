package dev.requesttiming.spring;

import dev.requesttiming.core.DownstreamCall;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A request factory whose calls, made while a timed request is served, give up when that request's
 * budget (minus {@code downstream-reserve}) runs out: they fail at once when nothing is left, carry
 * the {@code deadline-header}, are named in the request's flags, and are cut off at their deadline,
 * with a {@link dev.requesttiming.core.BudgetExhaustedException}. How a call is cut off depends on
 * the client: an interrupt for those that wait interruptibly (JDK, Reactor Netty, Jetty), a
 * per-request response timeout for Apache HttpClient 5.
 */
final class BudgetAwareRequestFactory implements ClientHttpRequestFactory {

  private final ClientHttpRequestFactory delegate;
  private final @Nullable Duration readTimeout;
  private final CallInterrupter interrupter;

  /**
   * @param readTimeout the delegate's own read timeout, when known
   */
  BudgetAwareRequestFactory(ClientHttpRequestFactory delegate, @Nullable Duration readTimeout, CallInterrupter interrupter) {
    this.delegate = delegate;
    this.readTimeout = readTimeout;
    this.interrupter = interrupter;
    if (isApache(delegate)) {
      ApacheResponseTimeouts.install(delegate, readTimeout);
    }
  }

  /** Whether the factory is Spring's for Apache HttpClient 5; by name, so that no Apache class is loaded. */
  private static boolean isApache(ClientHttpRequestFactory factory) {
    for (Class<?> c = factory.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("org.springframework.http.client.HttpComponentsClientHttpRequestFactory")) {
        return true;
      }
    }
    return false;
  }

  ClientHttpRequestFactory delegate() {
    return delegate;
  }

  @Nullable Duration readTimeout() {
    return readTimeout;
  }

  @Override
  public ClientHttpRequest createRequest(URI uri, HttpMethod method) throws IOException {
    return new BudgetAwareRequest(delegate.createRequest(uri, method));
  }

  /** The delegate's request, executed within the budget. */
  private final class BudgetAwareRequest implements ClientHttpRequest {
    private final ClientHttpRequest request;

    BudgetAwareRequest(ClientHttpRequest request) {
      this.request = request;
    }

    @Override
    public ClientHttpResponse execute() throws IOException {
      try (DownstreamCall call = DownstreamCall.start(request.getMethod().name(), request.getURI())) {
        if (!call.isBounded()) {
          return request.execute();
        }
        CallInterrupter.Armed armed = prepare(call);
        try {
          return request.execute();
        } catch (IOException | RuntimeException e) {
          boolean interrupted = armed != null && armed.disarm();
          armed = null;
          if (interrupted || call.isOverdue()) {
            throw call.cutOff(e);
          }
          throw e;
        } finally {
          if (armed != null) {
            armed.disarm();
          }
        }
      }
    }

    /** Sets the deadline header and arms the interrupt when the budget ends first; null when it does not. */
    private CallInterrupter.@Nullable Armed prepare(DownstreamCall call) {
      try {
        String header = call.deadlineHeader();
        if (header != null) {
          request.getHeaders().set(header, call.deadlineHeaderValue());
        }
        Duration timeout = call.timeout(readTimeout);
        boolean budgetBinds = timeout != null && (readTimeout == null || timeout.compareTo(readTimeout) < 0);
        return budgetBinds ? interrupter.arm(timeout) : null;
      } catch (RuntimeException e) { // e.g. read-only headers, a stopped timer: the call goes on unbounded
        call.failedOpen("bounding a RestClient/RestTemplate call", e);
        return null;
      }
    }

    @Override
    public OutputStream getBody() throws IOException {
      return request.getBody();
    }

    @Override
    public HttpHeaders getHeaders() {
      return request.getHeaders();
    }

    @Override
    public HttpMethod getMethod() {
      return request.getMethod();
    }

    @Override
    public URI getURI() {
      return request.getURI();
    }

    @Override
    public Map<String, Object> getAttributes() {
      return request.getAttributes();
    }
  }
}
