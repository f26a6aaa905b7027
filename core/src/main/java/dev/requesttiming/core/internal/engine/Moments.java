package dev.requesttiming.core.internal.engine;

/**
 * Moments on the engine's clock kept in one volatile long each, {@link #NEVER} until the first:
 * whether one is recent, and whether one written at most every so often is due to be written again
 * (so that requests seldom write a line others read).
 */
final class Moments {

  static final long NEVER = Long.MIN_VALUE;

  private Moments() {}

  /** Whether {@code at} is within {@code windowNanos} before {@code nowNanos}. */
  static boolean within(long at, long windowNanos, long nowNanos) {
    return at != NEVER && nowNanos - at < windowNanos;
  }

  /** Whether a moment last written at {@code last} is due to be written again at {@code nowNanos}. */
  static boolean due(long last, long everyNanos, long nowNanos) {
    return last == NEVER || nowNanos - last >= everyNanos;
  }
}
