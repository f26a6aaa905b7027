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
    sorted.sort((a, b) -> EndpointRule.mostSpecificFirst(a.method, a.pattern, b.method, b.pattern));
    this.rules = List.copyOf(sorted);
    this.defaultBudget = defaultBudget;
  }

  public static Rule parseRule(String parameter, String item) {
    EndpointRule rule = EndpointRule.parse(parameter, item, "duration", "POST /api/chat=120s");
    return new Rule(rule.method(), rule.pattern(), Values.duration(parameter, rule.value()));
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
      if (EndpointRule.matches(r.method, r.pattern, method, segments)) {
        return r.budget;
      }
    }
    return defaultBudget;
  }
}
