package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.RequestAdapter;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** One engine for all states of the stress tests (an engine is heavy; a request is not). */
final class Shared {

  static final Engine ENGINE =
      new Engine(
          new SimpleMeterRegistry(),
          Settings.DEFAULTS,
          new RequestAdapter<Object>() {
            @Override
            public String method(Object request) {
              return "GET";
            }

            @Override
            public String path(Object request) {
              return "/x";
            }
          });
  static final Endpoint ENDPOINT = ENGINE.endpoints().get(HttpMethod.GET, "/x");
  /** The path every request has, named by the engine when first asked, as the engine starts them. */
  static final String PATH = "/x";

  private Shared() {}

  /** A request as the engine starts one, at {@code startNanos}, not yet published. */
  static InFlightRequest request(long startNanos) {
    return new InFlightRequest(ENGINE, HttpMethod.GET, PATH, startNanos, 0, new Object(), Long.MAX_VALUE, null, false);
  }
}
