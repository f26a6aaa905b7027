package dev.requesttiming.core.internal.naming;

import dev.requesttiming.core.internal.util.SafeText;

import java.util.List;

/**
 * Turns a concrete path into a bounded template: segments that look like identifiers (numbers,
 * UUIDs, long hex, long opaque tokens) become {@code {id}}; the query string and {@code ;matrix}
 * parameters are dropped; the result is escaped and at most {@value #MAX_LENGTH} characters long.
 */
public final class PathNormalizer {

  static final String ID = "{id}";
  public static final int MAX_LENGTH = 120;
  private static final int MAX_SEGMENT_LENGTH = 48;

  private PathNormalizer() {}

  static String normalize(List<String> segments) {
    if (segments.isEmpty()) {
      return "/";
    }
    StringBuilder out = new StringBuilder();
    for (String segment : segments) {
      out.append('/').append(isIdentifier(segment) ? ID : segment);
    }
    return SafeText.of(out.toString(), MAX_LENGTH);
  }

  static boolean isIdentifier(String s) {
    int length = s.length();
    if (length > MAX_SEGMENT_LENGTH) {
      return true;
    }
    int digits = 0;
    int letters = 0;
    int hex = 0;
    int other = 0;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        hex++;
      } else if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
        letters++;
        hex++;
      } else if ((c >= 'g' && c <= 'z') || (c >= 'G' && c <= 'Z')) {
        letters++;
      } else if (c != '-' && c != '_' && c != '.' && c != '~' && c != '=' && c != '%') {
        other++;
      }
    }
    if (digits > 0 && letters == 0 && other == 0) {
      return true; // 42, 2024-01-31, 3.14
    }
    if (hex == length && length >= 16) {
      return true; // long hex
    }
    if (length == 36 && isUuid(s)) {
      return true;
    }
    // long opaque token: base64url, ULID, random ids mixing letters and digits
    return length >= 16 && digits > 0 && letters > 0 && other == 0;
  }

  private static boolean isUuid(String s) {
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
