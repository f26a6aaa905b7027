package dev.requesttiming.core.internal.util;

/**
 * Makes request-supplied text safe for tags and one-line log events: control characters (C0, DEL,
 * C1 and the Unicode line and paragraph separators) are escaped as {@code \xHH} or {@code \\uHHHH},
 * and the result is cut at a maximum length with a trailing {@code ...}.
 */
public final class SafeText {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private SafeText() {}

  /** Returns {@code text} itself when it needs no change, so the common case does not allocate. */
  public static String of(String text, int maxLength) {
    if (text.length() <= maxLength && !needsEscaping(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), maxLength) + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isControl(c)) {
        if (c < 0x100) {
          out.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        } else {
          out.append("\\u")
              .append(HEX[c >> 12])
              .append(HEX[(c >> 8) & 0xf])
              .append(HEX[(c >> 4) & 0xf])
              .append(HEX[c & 0xf]);
        }
      } else {
        out.append(c);
      }
      if (out.length() >= maxLength) {
        out.setLength(maxLength);
        out.append("...");
        break;
      }
    }
    return out.toString();
  }

  private static boolean needsEscaping(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isControl(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isControl(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
  }
}
