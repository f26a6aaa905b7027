package dev.requesttiming.spring;

import dev.requesttiming.core.RequestTimingConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The {@code request-timing.*} properties the user set, as the text of each parameter: the core's table
 * of parameters is their one definition (name, type, default, check), so nothing here lists them.
 * Spring's binder reads each name with its relaxed forms ({@code request-timing.warnAt}, {@code
 * REQUESTTIMING_WARNAT}) and every shape a property file or YAML gives it:
 *
 * <pre>
 * request-timing.budget=30s                          one value
 * request-timing.routes=/api/users/{id}, /files/**   a list in one value
 * request-timing.routes[0]=/api/users/{id}           a list by index (YAML's lists)
 * request-timing.downstream-timeouts.rag=25s         a map by key (YAML's maps)
 * </pre>
 */
final class BoundParameters {

  static final String PREFIX = "request-timing.";

  private BoundParameters() {}

  /** Each parameter the environment sets, by name, in the table's order; the parameters it leaves out are absent. */
  static Map<String, String> of(Environment environment) {
    Binder binder = Binder.get(environment);
    Map<String, String> texts = new LinkedHashMap<>();
    for (String name : RequestTimingConfig.parameterNames()) {
      String property = PREFIX + name;
      binder.bind(property, Bindable.of(String.class)).ifBound(text -> texts.put(name, text));
      if (!texts.containsKey(name)) {
        binder.bind(property, Bindable.listOf(String.class))
            .ifBound(items -> texts.put(name, String.join(",", items)));
      }
      if (!texts.containsKey(name)) {
        binder.bind(property, Bindable.mapOf(String.class, String.class)).ifBound(pairs -> texts.put(name, joined(pairs)));
      }
    }
    return texts;
  }

  private static String joined(Map<String, String> pairs) {
    List<String> texts = new ArrayList<>();
    pairs.forEach((key, value) -> texts.add(key + "=" + value));
    return String.join(",", texts);
  }
}
