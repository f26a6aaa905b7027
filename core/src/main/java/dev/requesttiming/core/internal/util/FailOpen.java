package dev.requesttiming.core.internal.util;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * Where request-timing's own failures go: counted, and logged at most once a minute, so that a
 * broken registry or logger never breaks, slows or floods the host app.
 *
 * <p>Thread-safe and lock-free; {@link #failed} never throws.
 */
public final class FailOpen {

  private static final Logger LOG = Loggers.FAILURES;
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final Clock clock;
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong nextLogNanos;

  public FailOpen(Clock clock) {
    this.clock = clock;
    this.nextLogNanos = new AtomicLong(clock.monotonicTime());
  }

  public void failed(String where, Throwable error) {
    try {
      long count = failures.incrementAndGet();
      long now = clock.monotonicTime();
      long next = nextLogNanos.get();
      if (now - next >= 0 && nextLogNanos.compareAndSet(next, now + LOG_EVERY_NANOS)) {
        LOG.warn(
            "request-timing failed in {} and stepped aside, the request went on ({} failures so far;"
                + " the next one is logged in a minute at the earliest)",
            where,
            count,
            error);
      }
    } catch (RuntimeException | LinkageError ignored) {
      // the logger itself is broken: counting is all we can do
    }
  }

  public long count() {
    return failures.get();
  }
}
