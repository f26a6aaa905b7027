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

  /**
   * The configuration reference's table is the table of parameters. A new or changed parameter fails
   * this until the table is written again: {@code mvn -pl core test -Dtest=ParametersTest
   * -Dreference.write=true}.
   */
  @Test
  void theConfigurationReferencesTable_isTheTable() throws IOException {
    Path reference = Path.of("..", "docs", "configuration.md");
    String text = Files.readString(reference);
    int start = text.indexOf("| parameter | default | meaning |");
    assertThat(start).as("the configuration reference's table").isPositive();
    int end = text.indexOf("\n\n", start);
    String table = end < 0 ? text.substring(start) : text.substring(start, end) + "\n";
    if (Boolean.getBoolean("reference.write")) {
      Files.writeString(reference, text.replace(table, Parameters.markdownTable()));
      table = Parameters.markdownTable();
    }
    assertThat(table)
        .as("docs/configuration.md's table, as Parameters.markdownTable() writes it; write it again with -Dreference.write=true")
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
