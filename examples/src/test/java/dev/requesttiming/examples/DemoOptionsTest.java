package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DemoOptionsTest {

  @Test
  void defaults() {
    assertThat(DemoOptions.parse()).isEqualTo(new DemoOptions(8080, "5s", "10s", false, true));
  }

  @Test
  void everyFlag_isRead() {
    assertThat(DemoOptions.parse("--port", "0", "--budget", "2s", "--report-interval", "0", "--traffic", "--no-timing"))
        .isEqualTo(new DemoOptions(0, "2s", "0", true, false));
  }

  @Test
  void badFlags_areRejectedWithWhatIsAllowed() {
    assertThatThrownBy(() -> DemoOptions.parse("--port", "http"))
        .hasMessage("--port: 'http' is not a port from 0 to 65535");
    assertThatThrownBy(() -> DemoOptions.parse("--budget"))
        .hasMessage("--budget needs a value; see --help");
    assertThatThrownBy(() -> DemoOptions.parse("--fast"))
        .hasMessage("unknown option '--fast'; see --help");
  }
}
