package dev.requesttiming.core;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A request as the core's tests (and benchmarks) make them: a method and a path, optionally a
 * scheme and headers, and a route template that the "framework" may set while the request runs.
 */
public final class TestRequest {

  /** Reads {@link TestRequest}s for {@link RequestTiming}. */
  public static final RequestAdapter<TestRequest> ADAPTER =
      new RequestAdapter<>() {
        @Override
        public String method(TestRequest request) {
          return request.method;
        }

        @Override
        public String path(TestRequest request) {
          return request.path;
        }

        @Override
        public String scheme(TestRequest request) {
          return request.scheme;
        }

        @Override
        public @Nullable String header(TestRequest request, String name) {
          return request.headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        @Override
        public @Nullable String route(TestRequest request) {
          return request.route;
        }
      };

  /** Reads {@link TestRequest}s, with routes from {@code routes} instead of the requests'. */
  public static RequestAdapter<TestRequest> adapterRouting(java.util.function.Function<TestRequest, @Nullable String> routes) {
    return new RequestAdapter<>() {
      @Override
      public String method(TestRequest request) {
        return ADAPTER.method(request);
      }

      @Override
      public String path(TestRequest request) {
        return ADAPTER.path(request);
      }

      @Override
      public @Nullable String route(TestRequest request) {
        return routes.apply(request);
      }
    };
  }

  private final String method;
  private final String path;
  private String scheme = "http";
  private final Map<String, String> headers = new HashMap<>();
  private volatile @Nullable String route;

  public TestRequest(String method, String path) {
    this.method = method;
    this.path = path;
  }

  public TestRequest scheme(String scheme) {
    this.scheme = scheme;
    return this;
  }

  public TestRequest header(String name, @Nullable String value) {
    if (value != null) {
      headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
    }
    return this;
  }

  /** Sets the route template, as a framework does once it has routed the request. */
  public TestRequest route(@Nullable String template) {
    this.route = template;
    return this;
  }
}
