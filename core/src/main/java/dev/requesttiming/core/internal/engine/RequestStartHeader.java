package dev.requesttiming.core.internal.engine;

import org.jspecify.annotations.Nullable;

/**
 * Reads the time a proxy received a request from {@code request-start-header}, in the forms proxies
 * write it, told apart by magnitude: seconds with a fraction ({@code t=1733212345.123}, nginx's
 * {@code ${msec}}), milliseconds (Heroku), microseconds ({@code t=1733212345123456}, HAProxy) or
 * nanoseconds (Render); an optional {@code t=} first. Parses without allocating.
 *
 * <p>Stateless and thread-safe.
 */
public final class RequestStartHeader {

  /** What {@link #queueNanos} answers for a stamp that cannot be used (unreadable, or too old). */
  public static final long UNUSABLE = -1;
  /** A stamp older than this is not a queue but a wrong clock, or a replayed header. */
  static final long OLDEST_NANOS = 10L * 60 * 1_000_000_000;

  private RequestStartHeader() {}

  /**
   * The time a request waited between the proxy's stamp and {@code nowMicros}: 0 for a stamp in
   * the future (clock skew), {@link #UNUSABLE} for one that is unreadable or older than 10 minutes.
   *
   * @param nowMicros the wall clock now, in microseconds since the epoch
   */
  public static long queueNanos(@Nullable String value, long nowMicros) {
    if (value == null) {
      return UNUSABLE;
    }
    long stampMicros = epochMicros(value);
    if (stampMicros == UNUSABLE) {
      return UNUSABLE;
    }
    long waitedMicros = nowMicros - stampMicros;
    if (waitedMicros <= 0) {
      return 0;
    }
    long waitedNanos = waitedMicros * 1000;
    return waitedNanos > OLDEST_NANOS ? UNUSABLE : waitedNanos;
  }

  /** The stamp in microseconds since the epoch, or {@link #UNUSABLE}. */
  static long epochMicros(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && value.charAt(i) == ' ') {
      i++;
    }
    if (i + 1 < n && value.charAt(i) == 't' && value.charAt(i + 1) == '=') {
      i += 2;
    }
    long whole = 0;
    int digits = 0;
    for (; i < n && isDigit(value.charAt(i)); i++) {
      if (++digits > 19) {
        return UNUSABLE;
      }
      whole = whole * 10 + (value.charAt(i) - '0');
    }
    long fractionMicros = 0; // of a second: only seconds come with a fraction
    if (i < n && value.charAt(i) == '.') {
      long scale = 100_000;
      for (i++; i < n && isDigit(value.charAt(i)); i++) {
        fractionMicros += (value.charAt(i) - '0') * scale;
        scale /= 10;
      }
    }
    while (i < n && value.charAt(i) == ' ') {
      i++;
    }
    if (digits == 0 || i != n || whole < 0) {
      return UNUSABLE;
    }
    if (whole < 100_000_000_000L) { // seconds: 1.7e9 today
      return whole * 1_000_000 + fractionMicros;
    }
    if (whole < 100_000_000_000_000L) { // milliseconds: 1.7e12
      return whole * 1000;
    }
    if (whole < 100_000_000_000_000_000L) { // microseconds: 1.7e15
      return whole;
    }
    return whole / 1000; // nanoseconds: 1.7e18
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
