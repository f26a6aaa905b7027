package dev.requesttiming.core.internal.util;

import java.time.Duration;
import java.util.Locale;

/** The pieces of JSON the reports and snapshots are written with: escaped strings, short numbers. */
public final class Json {

  private Json() {}

  /** Appends {@code value} as a JSON string, control characters and line separators escaped. */
  public static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static final long[] SCALES = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

  /** A number with at most {@code decimals} decimals (0 to 6), trailing zeros dropped: {@code 0.7}, {@code 12}. */
  public static String number(double value, int decimals) {
    long scale = SCALES[decimals];
    if (Double.isNaN(value) || Double.isInfinite(value) || Math.abs(value) >= 1e15 / scale) {
      return Double.isFinite(value) ? String.format(Locale.ROOT, "%.0f", value) : "null";
    }
    long scaled = Math.round(Math.abs(value) * scale); // half away from zero, either sign
    StringBuilder text = new StringBuilder(24);
    if (value < 0 && scaled != 0) {
      text.append('-');
    }
    text.append(scaled / scale);
    long fraction = scaled % scale;
    if (fraction != 0) {
      int digits = decimals;
      while (fraction % 10 == 0) {
        fraction /= 10;
        digits--;
      }
      text.append('.');
      String f = Long.toString(fraction);
      for (int i = f.length(); i < digits; i++) {
        text.append('0');
      }
      text.append(f);
    }
    return text.toString();
  }

  /** Milliseconds with one decimal at most. */
  public static String millis(Duration d) {
    return number(d.toNanos() / 1e6, 1);
  }
}
