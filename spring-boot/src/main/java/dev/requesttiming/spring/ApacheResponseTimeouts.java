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
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * Apache HttpClient 5 reads a blocking socket, which an interrupt does not stop; but it takes a
 * response timeout per request. This gives each call made within a budget a {@link RequestConfig}
 * whose response timeout is the budget's when that is shorter than the client's own. Loaded only
 * when Apache HttpClient 5 is on the class path.
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

  /** A context with the budget's response timeout, or null (Spring's own) when the budget does not bind. */
  private static @Nullable HttpContext contextFor(
      HttpComponentsClientHttpRequestFactory factory, HttpMethod method, URI uri, Duration own) {
    Duration timeout;
    try (DownstreamCall call = DownstreamCall.start(method.name(), uri)) {
      timeout = call.timeout(own);
    } catch (BudgetExhaustedException e) {
      return null; // the call fails before it is sent
    }
    if (timeout == null || timeout.compareTo(own) >= 0) {
      return null;
    }
    RequestConfig base =
        factory.getHttpClient() instanceof Configurable configurable && configurable.getConfig() != null
            ? configurable.getConfig()
            : RequestConfig.DEFAULT;
    HttpClientContext context = HttpClientContext.create();
    context.setRequestConfig(
        RequestConfig.copy(base).setResponseTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build());
    return context;
  }
}
