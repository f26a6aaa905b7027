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

  /** A number with at most {@code decimals} decimals, trailing zeros dropped: {@code 0.7}, {@code 12}. */
  public static String number(double value, int decimals) {
    String text = String.format(Locale.ROOT, "%." + decimals + "f", value);
    if (text.indexOf('.') >= 0) {
      text = text.replaceAll("0+$", "");
      if (text.endsWith(".")) {
        text = text.substring(0, text.length() - 1);
      }
    }
    return text;
  }

  /** Milliseconds with one decimal at most. */
  public static String millis(Duration d) {
    return number(d.toNanos() / 1e6, 1);
  }
}
