package dev.requesttiming.core.internal.config;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * A path template such as {@code /api/users/{id}}, {@code /files/*} or {@code /static/**}: {@code
 * {name}} and {@code *} match one segment, a trailing {@code **} matches any rest (also none).
 */
public final class RoutePattern {

  /** More literal segments first, then more segments, then patterns without {@code **}. */
  public static final Comparator<RoutePattern> MOST_SPECIFIC_FIRST =
      Comparator.comparingInt((RoutePattern p) -> -p.literalCount)
          .thenComparingInt(p -> -p.segments.length)
          .thenComparing(p -> p.matchesRest);

  private final String text;
  private final String[] segments; // null entries match any one segment
  private final boolean matchesRest;
  private final int literalCount;
  /** Its longest literal segment, which every path it matches contains; null when it has none. */
  private final @Nullable String longestLiteral;

  private RoutePattern(String text, String[] segments, boolean matchesRest) {
    this.text = text;
    this.segments = segments;
    this.matchesRest = matchesRest;
    int literals = 0;
    String longest = null;
    for (String s : segments) {
      if (s != null) {
        literals++;
        longest = longest == null || s.length() > longest.length() ? s : longest;
      }
    }
    this.literalCount = literals;
    this.longestLiteral = longest;
  }

  public static RoutePattern parse(String parameter, String text) {
    String trimmed = text.trim();
    if (!trimmed.startsWith("/")) {
      throw new IllegalArgumentException(
          parameter + ": '" + text + "' must start with '/', e.g. /api/users/{id} or /static/**");
    }
    List<String> parts = PathSegments.of(trimmed);
    boolean rest = !parts.isEmpty() && parts.get(parts.size() - 1).equals("**");
    int count = rest ? parts.size() - 1 : parts.size();
    String[] segments = new String[count];
    for (int i = 0; i < count; i++) {
      String part = parts.get(i);
      if (part.contains("**")) {
        throw new IllegalArgumentException(
            parameter + ": '" + text + "' may use ** only as its last segment");
      }
      boolean variable = part.equals("*") || (part.startsWith("{") && part.endsWith("}"));
      segments[i] = variable ? null : part;
    }
    return new RoutePattern(trimmed, segments, rest);
  }

  /** Parses each text; {@code parameter} names them in errors. */
  public static List<RoutePattern> parseAll(String parameter, String... texts) {
    return java.util.Arrays.stream(texts).map(t -> parse(parameter, t)).collect(Collectors.toUnmodifiableList());
  }

  /** Whether the path, split into segments, matches. */
  public boolean matches(List<String> pathSegments) {
    int n = pathSegments.size();
    if (matchesRest ? n < segments.length : n != segments.length) {
      return false;
    }
    for (int i = 0; i < segments.length; i++) {
      String literal = segments[i];
      if (literal != null && !literal.equals(pathSegments.get(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the path may match, by a search for its longest literal segment: false only for a path
   * it cannot match, with no splitting and no hashing of the path.
   */
  public boolean mayMatch(String path) {
    return longestLiteral == null || path.contains(longestLiteral);
  }

  @Override
  public String toString() {
    return text;
  }
}
