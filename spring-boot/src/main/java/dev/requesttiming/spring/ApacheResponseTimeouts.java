package dev.requesttiming.spring;

import dev.requesttiming.core.BudgetExhaustedException;
import dev.requesttiming.core.DownstreamCall;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.Configurable;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * Apache HttpClient 5 reads a blocking socket, which an interrupt does not stop; but it takes
 * timeouts per request. This gives each call made within a budget a {@link RequestConfig} whose
 * response timeout and pool wait end at the call's deadline. Loaded only when the factory is
 * Apache's.
 */
final class ApacheResponseTimeouts {

  /** Apache HttpClient 5's default socket timeout, used when the factory's read timeout is unknown. */
  private static final Duration CLIENT_DEFAULT = Duration.ofMinutes(3);

  private ApacheResponseTimeouts() {}

  static void install(ClientHttpRequestFactory factory, @Nullable Duration readTimeout) {
    HttpComponentsClientHttpRequestFactory apache = (HttpComponentsClientHttpRequestFactory) factory;
    Duration own = readTimeout != null ? readTimeout : CLIENT_DEFAULT;
    apache.setHttpContextFactory((method, uri) -> contextFor(apache, method, uri, own));
  }

  /**
   * A context whose response timeout (when the budget's is shorter than the client's) and wait for
   * a pooled connection (in an outage every connection of the pool is busy) end at the call's
   * deadline; null, Spring's own, outside a request or when nothing is left (the call then fails
   * before it is sent). The connect timeout stays the client's: it lives in its connection config,
   * which this cannot read.
   */
  private static @Nullable HttpContext contextFor(
      HttpComponentsClientHttpRequestFactory factory, HttpMethod method, URI uri, Duration own) {
    Duration left;
    try (DownstreamCall call = DownstreamCall.start(method.name(), uri)) {
      left = call.isBounded() ? call.timeout(null) : null;
    } catch (BudgetExhaustedException e) {
      return null;
    }
    if (left == null) {
      return null;
    }
    RequestConfig base =
        factory.getHttpClient() instanceof Configurable configurable && configurable.getConfig() != null
            ? configurable.getConfig()
            : RequestConfig.DEFAULT;
    RequestConfig.Builder bounded = RequestConfig.copy(base);
    if (left.compareTo(own) < 0) {
      bounded.setResponseTimeout(left.toMillis(), TimeUnit.MILLISECONDS);
    }
    Timeout lease = base.getConnectionRequestTimeout();
    if (lease == null || lease.toMilliseconds() > left.toMillis()) {
      bounded.setConnectionRequestTimeout(left.toMillis(), TimeUnit.MILLISECONDS);
    }
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(bounded.build());
    return context;
  }
}
