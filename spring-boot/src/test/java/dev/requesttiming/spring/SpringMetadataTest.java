package dev.requesttiming.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.requesttiming.core.internal.config.Parameter;
import dev.requesttiming.core.internal.config.Parameters;
import dev.requesttiming.core.internal.config.Settings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The IDE's metadata of the {@code request-timing.*} parameters is the core's table written as
 * Spring's configuration metadata: name, type, description and default of each. A new parameter
 * fails this test until the file is written again:
 * {@code mvn -pl spring-boot test -Dtest=SpringMetadataTest -Dmetadata.write=true}.
 */
class SpringMetadataTest {

  private static final Path FILE = Path.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");
  /** Where Spring Boot has a default of its own. */
  private static final Map<String, Object> BOOT_DEFAULTS = Map.of("requests-timer", "auto");

  @Test
  void theCommittedMetadata_isTheTableOfParameters() throws Exception {
    String expected = metadataOfTheTable();
    if (Boolean.getBoolean("metadata.write")) {
      Files.writeString(FILE, expected, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(FILE, StandardCharsets.UTF_8))
        .as("%s is not the table of parameters; write it again with -Dmetadata.write=true", FILE)
        .isEqualTo(expected);
  }

  private static String metadataOfTheTable() throws Exception {
    List<Map<String, Object>> properties = new ArrayList<>();
    for (Parameter<?> p : Parameters.all()) {
      Map<String, Object> property = new LinkedHashMap<>();
      property.put("name", "request-timing." + p.name());
      property.put("type", typeName(p.type()));
      property.put("description", sentence(p.description().replace("`", "")));
      Object defaultValue = BOOT_DEFAULTS.containsKey(p.name()) ? BOOT_DEFAULTS.get(p.name()) : written(p);
      if (defaultValue != null && !p.name().equals("exclude")) {
        property.put("defaultValue", defaultValue);
      }
      properties.add(property);
    }
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    return json.writeValueAsString(Map.of("properties", properties)) + "\n";
  }

  private static String typeName(Class<?> type) {
    if (type == List.class) {
      return "java.util.List<java.lang.String>";
    }
    if (type == Map.class) {
      return "java.util.Map<java.lang.String,java.time.Duration>";
    }
    return type.getName();
  }

  /** The default as a property file writes it; null where there is none to write. */
  private static Object written(Parameter<?> p) {
    Object value = Settings.DEFAULTS.get(p);
    if (value == null || (value instanceof Collection<?> c && c.isEmpty()) || (value instanceof Map<?, ?> m && m.isEmpty())) {
      return null;
    }
    if (value instanceof Duration) {
      return text((Duration) value);
    }
    if (value instanceof Enum<?> mode) {
      return mode.name().toLowerCase(Locale.ROOT);
    }
    if (value instanceof Collection<?> items) {
      return items.stream().map(Object::toString).toList();
    }
    return value;
  }

  private static String text(Duration d) {
    return d.toSeconds() % 60 == 0 && d.toMinutes() > 0 ? d.toMinutes() + "m" : d.toSeconds() + "s";
  }

  private static String sentence(String text) {
    return text.endsWith(".") ? text : text + ".";
  }
}
