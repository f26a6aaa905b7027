package dev.requesttiming.core;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The budget levels a request can be flagged at, in the order they are reached. */
enum FlagLevel {
  WARN,
  CRITICAL,
  EXCEEDED;

  static final FlagLevel[] ALL = values();

  /** This level's bit in a request's set of flagged levels. */
  int bit() {
    return 1 << ordinal();
  }

  String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads warn, critical or exceeded; {@code never} gives null. */
  static @Nullable FlagLevel parseOrNever(String parameter, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "warn" -> WARN;
      case "critical" -> CRITICAL;
      case "exceeded" -> EXCEEDED;
      case "never" -> null;
      default ->
          throw new IllegalArgumentException(
              parameter + ": '" + text + "' is not a level; use warn, critical, exceeded or never");
    };
  }
}
