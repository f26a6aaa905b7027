package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.Values;
import dev.requesttiming.core.internal.util.Loggers;
import dev.requesttiming.core.internal.util.SafeText;

import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Reads the caller's own timeout from the {@code deadline-header}: milliseconds ({@code
 * X-Request-Timeout-Ms: 2500}, Envoy's {@code x-envoy-expected-rq-timeout-ms}), a duration with a
 * unit ({@code 2.5s}), or, when the header is {@code grpc-timeout}, gRPC's form ({@code 2S}, {@code
 * 500m}). A malformed, non-positive or absurd (over a day) value is ignored.
 */
final class DeadlineHeader {

  private static final Logger LOG = Loggers.BUDGET;
  private static final long MAX_NANOS = Duration.ofDays(1).toNanos();

  private final boolean grpc;

  DeadlineHeader(String name) {
    this.grpc = name.equalsIgnoreCase("grpc-timeout");
  }

  /** The caller's timeout in nanoseconds, or {@code Long.MAX_VALUE} when absent or unusable. */
  long nanos(@Nullable String value) {
    if (value == null || value.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long nanos = grpc ? grpc(value.trim()) : plain(value.trim());
    if (nanos <= 0 || nanos > MAX_NANOS) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("deadline header ignored: '{}' is not a timeout up to 1 day", SafeText.of(value, 40));
      }
      return Long.MAX_VALUE;
    }
    return nanos;
  }

  private static long plain(String value) {
    if (isDigits(value, value.length())) {
      return value.length() > 12 ? -1 : Long.parseLong(value) * 1_000_000L;
    }
    try {
      return Values.duration("deadline-header", value).toNanos();
    } catch (IllegalArgumentException | ArithmeticException e) {
      return -1;
    }
  }

  private static long grpc(String value) {
    int n = value.length();
    if (n < 2 || n > 9 || !isDigits(value, n - 1)) { // gRPC allows at most 8 digits
      return -1;
    }
    long amount = Long.parseLong(value.substring(0, n - 1));
    long unitNanos =
        switch (value.charAt(n - 1)) {
          case 'H' -> 3_600_000_000_000L;
          case 'M' -> 60_000_000_000L;
          case 'S' -> 1_000_000_000L;
          case 'm' -> 1_000_000L;
          case 'u' -> 1_000L;
          case 'n' -> 1L;
          default -> -1;
        };
    if (unitNanos < 0 || amount > MAX_NANOS / unitNanos) {
      return -1;
    }
    return amount * unitNanos;
  }

  private static boolean isDigits(String value, int length) {
    if (length == 0) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
