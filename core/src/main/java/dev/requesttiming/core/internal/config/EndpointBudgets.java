package dev.requesttiming.core.internal.config;

import dev.requesttiming.core.internal.util.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The budgets of {@code endpoint-budgets}, e.g. {@code POST /api/chat=120s, /api/reports/**=60s}:
 * the most specific matching pattern wins, a rule naming the method beats one that does not, and
 * anything unmatched gets the default budget.
 */
public final class EndpointBudgets {

  /** One rule; {@code method} is null when the rule applies to every method. */
  public record Rule(@Nullable HttpMethod method, RoutePattern pattern, Duration budget) {
    @Override
    public String toString() {
      return (method == null ? "" : method + " ") + pattern + "=" + Durations.duration(budget);
    }
  }

  private final List<Rule> rules; // most specific first
  private final Duration defaultBudget;

  public EndpointBudgets(List<Rule> rules, Duration defaultBudget) {
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort(
        (a, b) -> {
          int bySpecificity = RoutePattern.MOST_SPECIFIC_FIRST.compare(a.pattern, b.pattern);
          if (bySpecificity != 0) {
            return bySpecificity;
          }
          return Boolean.compare(a.method == null, b.method == null);
        });
    this.rules = List.copyOf(sorted);
    this.defaultBudget = defaultBudget;
  }

  public static Rule parseRule(String parameter, String item) {
    int eq = item.lastIndexOf('=');
    if (eq <= 0 || eq == item.length() - 1) {
      throw new IllegalArgumentException(
          parameter
              + ": '"
              + item
              + "' is not a [METHOD ]/path=duration rule; use e.g. POST /api/chat=120s");
    }
    String target = item.substring(0, eq).trim();
    Duration budget = Values.duration(parameter, item.substring(eq + 1));
    int space = target.indexOf(' ');
    HttpMethod method = null;
    if (space > 0) {
      method = HttpMethod.parse(parameter, target.substring(0, space));
      target = target.substring(space + 1).trim();
    }
    return new Rule(method, RoutePattern.parse(parameter, target), budget);
  }

  public List<Rule> rules() {
    return rules;
  }

  public Duration largest() {
    Duration max = defaultBudget;
    for (Rule r : rules) {
      if (r.budget.compareTo(max) > 0) {
        max = r.budget;
      }
    }
    return max;
  }

  public Duration smallest() {
    Duration min = defaultBudget;
    for (Rule r : rules) {
      if (r.budget.compareTo(min) < 0) {
        min = r.budget;
      }
    }
    return min;
  }

  /** The budget of an endpoint, matched on its uri (a template or a normalized path). */
  public Duration budgetFor(HttpMethod method, String uri) {
    if (rules.isEmpty()) {
      return defaultBudget;
    }
    List<String> segments = PathSegments.of(uri);
    for (Rule r : rules) {
      if ((r.method == null || r.method == method) && r.pattern.matches(segments)) {
        return r.budget;
      }
    }
    return defaultBudget;
  }
}
