package dev.requesttiming.examples.boot;

import static dev.requesttiming.core.PrometheusServer.get;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What a user sets under {@code management.metrics.distribution.*} for {@code http.server.requests}
 * wins over the histogram request-timing gives Actuator's timer (our meter filter runs before
 * Spring Boot's).
 */
class UserDistributionSettingsIT {

  @Test
  void usersServiceLevelObjectives_replaceOurBoundaries() {
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(BootDemoApplication.class)
            .run(
                "--server.port=0",
                "--request-timing.budget=3s",
                "--management.metrics.distribution.slo.http.server.requests=123ms")) {
      String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
      assertThat(get(base + "/api/users/7").statusCode()).isEqualTo(200);

      String scrape = get(base + "/actuator/prometheus").body();
      assertThat(scrape)
          .containsPattern("http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/users/\\{id}\",le=\"0.123\"} 1")
          .doesNotContainPattern("http_server_requests_seconds_bucket\\{[^}]*le=\"1.5\"}");
    }
  }
}
