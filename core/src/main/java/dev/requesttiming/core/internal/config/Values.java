package dev.requesttiming.core.internal.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the text forms of configuration values; every error names the parameter and the value. */
public final class Values {

  private static final Pattern DURATION =
      Pattern.compile("(\\d{1,9}(?:\\.\\d{1,9})?)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  private Values() {}

  /**
   * Reads {@code 30s}, {@code 1500ms}, {@code 2m}, {@code 1h}, {@code 1.5s}, ISO-8601 {@code PT30S},
   * or a bare {@code 0}.
   */
  public static Duration duration(String parameter, String value) {
    String text = value.trim();
    if (text.equals("0")) {
      return Duration.ZERO;
    }
    try {
      if (text.regionMatches(true, 0, "PT", 0, 2) || text.regionMatches(true, 0, "P", 0, 1)) {
        return Duration.parse(text.toUpperCase(Locale.ROOT));
      }
      Matcher m = DURATION.matcher(text);
      if (m.matches()) {
        double amount = Double.parseDouble(m.group(1));
        long unitNanos =
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
              case "ms" -> 1_000_000L;
              case "s" -> 1_000_000_000L;
              case "m" -> 60_000_000_000L;
              default -> 3_600_000_000_000L;
            };
        return Duration.ofNanos(Math.round(amount * unitNanos));
      }
    } catch (DateTimeParseException | ArithmeticException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        parameter + ": '" + value + "' is not a duration; use e.g. 30s, 1500ms, 2m, PT30S");
  }

  /** Reads {@code 0.8} or {@code 80%}. */
  public static double fraction(String parameter, String value) {
    String text = value.trim();
    try {
      double result =
          text.endsWith("%")
              ? Double.parseDouble(text.substring(0, text.length() - 1).trim()) / 100.0
              : Double.parseDouble(text);
      if (Double.isFinite(result)) {
        return result;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(
        parameter + ": '" + value + "' is not a fraction; use e.g. 0.8 or 80%");
  }

  public static int positiveInt(String parameter, String value) {
    return intAtLeast(parameter, value, 1, "a positive whole number");
  }

  public static int wholeNumber(String parameter, String value) {
    return intAtLeast(parameter, value, 0, "a whole number of 0 or more");
  }

  private static int intAtLeast(String parameter, String value, int minimum, String what) {
    try {
      int result = Integer.parseInt(value.trim());
      if (result >= minimum) {
        return result;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(parameter + ": '" + value + "' is not " + what);
  }

  /**
   * Reads a mode, an enum constant by its lower-case name: {@code requests-timer: 'maybe' is not a
   * mode; use on, off or auto}.
   */
  public static <E extends Enum<E>> E mode(String parameter, String value, Class<E> type, String what) {
    String text = value.trim().toUpperCase(Locale.ROOT);
    E[] constants = type.getEnumConstants();
    for (E e : constants) {
      if (e.name().equals(text)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (int i = 0; i < constants.length; i++) {
      allowed.append(i == 0 ? "" : i == constants.length - 1 ? " or " : ", ").append(constants[i].name().toLowerCase(Locale.ROOT));
    }
    throw new IllegalArgumentException(parameter + ": '" + value + "' is not " + what + "; use " + allowed);
  }

  /** Reads {@code true} or {@code false}, in any case. */
  public static boolean bool(String parameter, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(parameter + ": '" + value + "' is not true or false");
    };
  }

  /** Splits a list written with commas or new lines; blank items are dropped. */
  public static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split("[,\\n]")) {
      String trimmed = item.trim();
      if (!trimmed.isEmpty()) {
        items.add(trimmed);
      }
    }
    return items;
  }

  /** Reads {@code key=duration} pairs, e.g. {@code nginx=60s, alb=60s}. */
  public static Map<String, Duration> durationsByKey(String parameter, String value) {
    Map<String, Duration> result = new LinkedHashMap<>();
    for (String item : list(value)) {
      int eq = item.lastIndexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new IllegalArgumentException(
            parameter + ": '" + item + "' is not a name=duration pair; use e.g. nginx=60s");
      }
      result.put(item.substring(0, eq).trim(), duration(parameter, item.substring(eq + 1)));
    }
    return result;
  }
}
