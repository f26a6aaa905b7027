package dev.requesttiming.core.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.RequestTimingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one table of parameters drives the rest. */
class ParametersTest {

  @Test
  void readmesConfigurationTable_isTheTable() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    int start = readme.indexOf("| parameter | default | meaning |");
    assertThat(start).as("the README's configuration table").isPositive();
    int end = readme.indexOf("\n\n", start);
    String table = end < 0 ? readme.substring(start) : readme.substring(start, end) + "\n";
    assertThat(table)
        .as("README.md's configuration table, as Parameters.markdownTable() writes it")
        .isEqualTo(Parameters.markdownTable());
  }

  @Test
  void everyParameter_isSetByItsName_andNamedInTheStartUpLine_inTableOrder() {
    List<String> names = Parameters.all().stream().map(Parameter::name).toList();
    assertThat(RequestTimingConfig.defaults().toString()).startsWith("RequestTimingConfig{budget=");
    assertThat(Settings.DEFAULTS.describe().keySet()).containsExactlyElementsOf(names);
    for (Parameter<?> p : Parameters.all()) {
      assertThat(Parameters.named(p.name().toUpperCase())).isSameAs(p);
      assertThat(p.description()).as(p.name()).isNotBlank();
    }
  }

  @Test
  void everyDefault_isAValueItsOwnParserReads() {
    RequestTimingConfig.Builder builder = RequestTimingConfig.builder();
    Settings.DEFAULTS.describe().forEach((name, text) -> {
      if (!text.startsWith("(") && !text.contains(" (off)")) { // "(guessed)", "0 (off)": words, not values
        builder.set(name, text);
      }
    });
    assertThat(builder.build().toString()).isEqualTo(RequestTimingConfig.defaults().toString());
  }
}
