package dev.requesttiming.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.internal.config.Parameter;
import dev.requesttiming.core.internal.config.Parameters;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

/**
 * The request-timing.* properties follow the core's table of parameters: a property per
 * parameter, with its description for the IDE, and its default.
 */
class RequestTimingPropertiesTest {

  /** Where Spring Boot has a default of its own, and why. */
  private static final Map<String, String> BOOT_DEFAULTS =
      Map.of("requests-timer", "auto: Actuator's observation records the timer when it is active");

  /** name → description and default of the IDE metadata the configuration processor wrote. */
  private static Map<String, String[]> metadata() throws Exception {
    try (InputStream in = RequestTimingPropertiesTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      Map<String, String[]> properties = new HashMap<>();
      for (JsonNode property : new ObjectMapper().readTree(in).get("properties")) {
        if (!property.get("name").asText().startsWith("request-timing.")) {
          continue; // Actuator's own, of the requesttiming endpoint
        }
        String name = property.get("name").asText().substring("request-timing.".length());
        JsonNode defaultValue = property.get("defaultValue");
        properties.put(name, new String[] {property.path("description").asText(null), text(defaultValue)});
      }
      return properties;
    }
  }

  /** A default as a property file writes it: a list with commas. */
  private static String text(JsonNode defaultValue) {
    if (defaultValue == null || defaultValue.isNull()) {
      return null;
    }
    if (defaultValue.isArray()) {
      List<String> items = new ArrayList<>();
      defaultValue.forEach(item -> items.add(item.asText()));
      return String.join(",", items);
    }
    return defaultValue.asText();
  }

  @Test
  void everyParameter_isAProperty_andEveryPropertyAParameter() throws Exception {
    Set<String> parameters = new TreeSet<>(Parameters.all().stream().map(Parameter::name).toList());
    Set<String> properties = new TreeSet<>(metadata().keySet());
    properties.removeAll(Set.of("enabled", "downstream.enabled")); // Spring Boot's own switches
    assertThat(properties).isEqualTo(parameters);
  }

  @Test
  void everyProperty_saysWhatItsParameterSays() throws Exception {
    Map<String, String[]> metadata = metadata();
    for (Parameter<?> p : Parameters.all()) {
      String expected = p.description().replace("`", "");
      assertThat(metadata.get(p.name())[0]).as(p.name()).startsWith(expected);
    }
  }

  @Test
  void everyPropertyDefault_isItsParametersDefault_butWhereBootHasItsOwn() throws Exception {
    String table = RequestTimingConfig.defaults().toString();
    for (Map.Entry<String, String[]> e : metadata().entrySet()) {
      String name = e.getKey();
      String defaultValue = e.getValue()[1];
      if (defaultValue == null || name.contains("enabled") || BOOT_DEFAULTS.containsKey(name)) {
        continue;
      }
      String fromProperty = RequestTimingConfig.builder().set(name, defaultValue).build().toString();
      assertThat(fromProperty).as(name + "=" + defaultValue).isEqualTo(table);
    }
    // and every property, unset, gives the table's configuration (Boot's own defaults aside)
    Map<String, String> unset = BoundParameters.of(new MockEnvironment());
    assertThat(unset).isEmpty();
    assertThat(RequestTimingConfig.fromMap(unset).toString()).isEqualTo(table);
  }

  /** Environment variables in Spring's form: dashes dropped, dots and indexes as underscores. */
  @Test
  void environmentVariables_areReadInSpringsRelaxedForm() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
            "REQUESTTIMING_WARNAT", "0.6",
            "REQUESTTIMING_DOWNSTREAMTIMEOUTS_RAG", "25s",
            "REQUESTTIMING_ENDPOINTBUDGETS_0", "POST /api/chat=2m")));
    assertThat(BoundParameters.of(environment)).containsOnly(
        Map.entry("warn-at", "0.6"), Map.entry("downstream-timeouts", "rag=25s"), Map.entry("endpoint-budgets", "POST /api/chat=2m"));
  }

  @Test
  void everyShapeOfAProperty_isReadAsItsParametersText() {
    MockEnvironment environment = new MockEnvironment()
        .withProperty("request-timing.budget", "45s")
        .withProperty("request-timing.warnAt", "60%")
        .withProperty("request-timing.routes[0]", "/api/users/{id}")
        .withProperty("request-timing.routes[1]", "/files/**")
        .withProperty("request-timing.exclude", "/metrics, /health")
        .withProperty("request-timing.downstream-timeouts.rag", "25s")
        .withProperty("request-timing.downstream-timeouts.db", "5s")
        .withProperty("request-timing.enabled", "true");
    Map<String, String> texts = BoundParameters.of(environment);
    assertThat(texts).containsOnlyKeys("budget", "warn-at", "routes", "exclude", "downstream-timeouts");
    RequestTimingConfig config = RequestTimingConfig.fromMap(texts);
    assertThat(config.toString())
        .contains("budget=45s", "warn-at=60.0%", "routes=/api/users/{id}, /files/**", "exclude=/metrics, /health")
        .contains("downstream-timeouts=db=5s, rag=25s");
  }
}
