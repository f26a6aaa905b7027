package dev.requesttiming.core;

/**
 * Lets {@code benchmarks/} reach package-private parts of the core. It lives in the benchmarks
 * module only and is not part of any published artifact.
 */
public final class BenchmarkAccess {

  private BenchmarkAccess() {}

  /** Runs one watchdog scan now. */
  public static void scan(RequestTiming timing) {
    timing.watchdog.scan();
  }

  /** How many requests the in-flight registry holds. */
  public static int inFlight(RequestTiming timing) {
    return timing.inFlight.size();
  }
}
