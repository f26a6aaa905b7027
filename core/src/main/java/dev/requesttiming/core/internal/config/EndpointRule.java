package dev.requesttiming.core.internal.config;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The text of one per-endpoint rule, {@code [METHOD ]/pattern=value} (as in {@code endpoint-budgets}
 * and {@code endpoint-limits}), split into what it matches and its value's text.
 *
 * @param method the method it names; null when it applies to every method
 */
record EndpointRule(@Nullable HttpMethod method, RoutePattern pattern, String value) {

  /**
   * @param example a rule to show in the error, e.g. {@code POST /api/chat=120s}
   * @throws IllegalArgumentException naming the parameter, the item and the form it must take
   */
  static EndpointRule parse(String parameter, String item, String valueName, String example) {
    int eq = item.lastIndexOf('=');
    if (eq <= 0 || eq == item.length() - 1) {
      throw new IllegalArgumentException(
          parameter + ": '" + item + "' is not a [METHOD ]/path=" + valueName + " rule; use e.g. " + example);
    }
    String target = item.substring(0, eq).trim();
    int space = target.indexOf(' ');
    HttpMethod method = null;
    if (space > 0) {
      method = HttpMethod.parse(parameter, target.substring(0, space));
      target = target.substring(space + 1).trim();
    }
    return new EndpointRule(method, RoutePattern.parse(parameter, target), item.substring(eq + 1));
  }

  /** Whether it applies to requests of {@code requestMethod} at a path split into {@code segments}. */
  static boolean matches(@Nullable HttpMethod method, RoutePattern pattern, HttpMethod requestMethod, List<String> segments) {
    return (method == null || method == requestMethod) && pattern.matches(segments);
  }

  /** Most specific pattern first; of two alike, the one naming a method first. */
  static int mostSpecificFirst(@Nullable HttpMethod aMethod, RoutePattern a, @Nullable HttpMethod bMethod, RoutePattern b) {
    int bySpecificity = RoutePattern.MOST_SPECIFIC_FIRST.compare(a, b);
    return bySpecificity != 0 ? bySpecificity : Boolean.compare(aMethod == null, bMethod == null);
  }
}
