package dev.requesttiming.core.internal.util;

import java.time.Duration;
import java.util.Locale;

/** Formats durations and ratios the way the logs and reports print them: {@code 850ms}, {@code 12.4s}. */
public final class Durations {

  private Durations() {}

  /** A configured duration as configuration writes it: {@code 250ms}, {@code 30s}, {@code 2m}. */
  public static String duration(Duration d) {
    return configured(d.toNanos());
  }

  /** A measured latency for the report: {@code 2.1ms}, {@code 85ms}, {@code 28.0s}. */
  public static String latency(Duration d) {
    return latency(d.toNanos());
  }

  /** {@link #latency(Duration)} of nanoseconds: what every log line prints for a time taken. */
  public static String latency(long nanos) {
    double ms = nanos / 1e6;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.1fms", ms);
    }
    if (ms < 1000) {
      return Math.round(ms) + "ms";
    }
    return String.format(Locale.ROOT, "%.1fs", ms / 1000);
  }

  /** {@link #duration(Duration)} of nanoseconds. */
  public static String configured(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    if (nanos < 0) {
      return "-" + configured(-nanos);
    }
    double ms = nanos / 1e6;
    if (ms < 1000) {
      return decimals(ms) + "ms"; // 0.25ms, 7.5ms, 160ms
    }
    double s = ms / 1000;
    double m = s / 60;
    if (m >= 1 && m == Math.rint(m)) {
      return (long) m + "m";
    }
    return s == Math.rint(s) ? (long) s + "s" : String.format(Locale.ROOT, "%.1fs", s);
  }

  /** At most two decimals, none that are zero: {@code 7.5}, {@code 0.25}, {@code 160}. */
  private static String decimals(double value) {
    return java.math.BigDecimal.valueOf(value)
        .setScale(2, java.math.RoundingMode.HALF_UP)
        .stripTrailingZeros()
        .toPlainString();
  }
}
