package dev.requesttiming.core;

/**
 * Lets {@code benchmarks/} reach what the core's API keeps to itself, and gives it a request type.
 * It lives in the benchmarks module only and is not part of any published artifact.
 */
public final class BenchmarkAccess {

  /** A request that is only a method and a path, as the benchmarks make them. */
  public record Request(String method, String path) {}

  /** Reads {@link Request}s. */
  public static final RequestAdapter<Request> REQUESTS =
      new RequestAdapter<>() {
        @Override
        public String method(Request request) {
          return request.method();
        }

        @Override
        public String path(Request request) {
          return request.path();
        }
      };

  private BenchmarkAccess() {}

  /** Runs one watchdog scan now. */
  public static void scan(RequestTiming<?> timing) {
    timing.watchdog().scan();
  }

  /** How many requests the in-flight registry holds. */
  public static int inFlight(RequestTiming<?> timing) {
    return timing.engine().inFlight().size();
  }
}
