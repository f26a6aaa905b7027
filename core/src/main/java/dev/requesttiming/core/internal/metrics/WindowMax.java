package dev.requesttiming.core.internal.metrics;

import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A decaying maximum kept as Micrometer's {@code TimeWindowMax} keeps it: {@code bufferLength}
 * windows, each reset in turn every {@code expiry}, so a value is forgotten after one to {@code
 * bufferLength} expiries. Unlike Micrometer's, it
 * reads no clock of its own: a writer passes the monotonic time it read to time the request, which
 * saves a wall-clock read (about 28 ns here) on every request.
 *
 * <ol>
 *   <li>{@link #record} may be called by any number of threads: lock-free unless a window is due to
 *       be reset (once every {@code expiry}), no allocation; a value no larger than
 *       every window's maximum writes nothing.
 *   <li>{@link #poll} may run concurrently with it; it answers the current window's maximum.
 * </ol>
 */
final class WindowMax {

  private final AtomicLong[] ring;
  private final long rotateEveryNanos;
  private volatile long lastRotateNanos;
  /** The window {@link #poll} answers; guarded by this. */
  private int current;

  WindowMax(DistributionStatisticConfig window, long nowNanos) {
    int length = window.getBufferLength() == null ? 3 : window.getBufferLength();
    long expiryNanos = window.getExpiry() == null ? 120_000_000_000L : window.getExpiry().toNanos();
    this.ring = new AtomicLong[length];
    for (int i = 0; i < length; i++) {
      ring[i] = new AtomicLong();
    }
    this.rotateEveryNanos = Math.max(1, expiryNanos); // Micrometer rotates every expiry, over bufferLength windows
    this.lastRotateNanos = nowNanos;
  }

  /** Counts a value recorded at {@code nowNanos} (monotonic). */
  void record(long value, long nowNanos) {
    rotate(nowNanos);
    for (AtomicLong max : ring) {
      long seen = max.get();
      while (seen < value && !max.compareAndSet(seen, value)) {
        seen = max.get();
      }
    }
  }

  /** The largest value of the current window, at {@code nowNanos}. */
  long poll(long nowNanos) {
    rotate(nowNanos);
    synchronized (this) {
      return ring[current].get();
    }
  }

  /** Resets each window whose time is up, as Micrometer's does: all of them after a whole expiry. */
  private void rotate(long nowNanos) {
    if (nowNanos - lastRotateNanos < rotateEveryNanos) {
      return;
    }
    synchronized (this) {
      long since = nowNanos - lastRotateNanos;
      if (since < rotateEveryNanos) {
        return; // another thread rotated meanwhile
      }
      if (since >= rotateEveryNanos * ring.length) {
        for (AtomicLong max : ring) {
          max.set(0);
        }
        current = 0;
        lastRotateNanos = nowNanos - since % rotateEveryNanos;
        return;
      }
      long last = lastRotateNanos;
      for (int i = 0; i < ring.length && since >= rotateEveryNanos; i++) {
        ring[current].set(0);
        current = current + 1 == ring.length ? 0 : current + 1;
        since -= rotateEveryNanos;
        last += rotateEveryNanos;
      }
      lastRotateNanos = last;
    }
  }
}
