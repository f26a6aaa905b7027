package dev.requesttiming.core.internal.config;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The budget levels a request can be flagged at, in the order they are reached. */
public enum FlagLevel {
  WARN,
  CRITICAL,
  EXCEEDED;

  public static final FlagLevel[] ALL = values();

  /** This level's bit in a request's set of flagged levels. */
  public int bit() {
    return 1 << ordinal();
  }

  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Reads warn, critical or exceeded; {@code never} gives null. */
  public static @Nullable FlagLevel parseOrNever(String parameter, String text) {
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
