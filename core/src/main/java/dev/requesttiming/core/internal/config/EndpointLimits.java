package dev.requesttiming.core.internal.config;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The caps of {@code endpoint-limits}, e.g. {@code POST /api/chat=4, GET /reports/**=2}: at most that
 * many requests matching a rule in flight at once, all of its paths together. Rules match like
 * {@code endpoint-budgets}: the most specific pattern wins, and a rule naming the method beats one
 * that does not. Immutable.
 */
public final class EndpointLimits {

  /** One cap; {@code method} is null when it applies to every method. */
  public record Rule(@Nullable HttpMethod method, RoutePattern pattern, int limit) {
    @Override
    public String toString() {
      return (method == null ? "" : method + " ") + pattern + "=" + limit;
    }
  }

  private final List<Rule> rules; // most specific first

  public EndpointLimits(List<Rule> rules) {
    List<Rule> sorted = new ArrayList<>(rules);
    sorted.sort((a, b) -> EndpointRule.mostSpecificFirst(a.method, a.pattern, b.method, b.pattern));
    this.rules = List.copyOf(sorted);
  }

  /**
   * @throws IllegalArgumentException naming the parameter, the item and what is allowed
   */
  public static Rule parseRule(String parameter, String item) {
    EndpointRule rule = EndpointRule.parse(parameter, item, "limit", "POST /api/chat=4");
    return new Rule(rule.method(), rule.pattern(), Values.positiveInt(parameter + " '" + item + "'", rule.value()));
  }

  public List<Rule> rules() {
    return rules;
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /** The rule that caps requests of {@code method} at {@code uri} (a template or a normalized path); null if none. */
  public @Nullable Rule ruleFor(HttpMethod method, String uri) {
    if (rules.isEmpty()) {
      return null;
    }
    List<String> segments = PathSegments.of(uri);
    for (Rule r : rules) {
      if (EndpointRule.matches(r.method, r.pattern, method, segments)) {
        return r;
      }
    }
    return null;
  }
}
