package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.Metrics;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A web app that sets the filter up as web.xml does, by its class name and init-params alone, with
 * no registry of its own: the metrics reach a Prometheus scrape only through {@code registry=prometheus}
 * and client_java's scrape servlet, and without either the filter says at start that they go nowhere.
 */
abstract class WebXmlScenarios {

  private final LogCapture config = LogCapture.of("dev.requesttiming.config");

  abstract ServletContainer newContainer();

  @AfterEach
  void closeLog() {
    config.close();
  }

  private Http start(ServletContainer container, Map<String, String> params) throws Exception {
    int port =
        container.start(
            (classes, context) -> {
              FilterRegistration.Dynamic filter = context.addFilter("requestTiming", RequestTimingFilter.class.getName());
              filter.setAsyncSupported(true);
              filter.setInitParameters(params);
              filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
              context.addServlet("metrics", PrometheusMetricsServlet.class.getName()).addMapping("/metrics");
              context.addServlet("app", new TestApp()).addMapping("/");
            });
    return new Http(port);
  }

  @Test
  void registryPrometheus_theScrapeServletServesOurSeriesAndTheJvms_andTheyLeaveWithTheApp() throws Exception {
    assertThat(Metrics.globalRegistry.getRegistries()).as("no registry of another test left behind").isEmpty();
    try (ServletContainer container = newContainer()) {
      Http http = start(container, Map.of("budget", "1s", "registry", "prometheus"));
      assertThat(http.get("/api/hello").statusCode()).isEqualTo(200);

      await().atMost(10, SECONDS).untilAsserted(() ->
          assertThat(http.get("/metrics").body())
              .containsPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/api/hello\"[^}]*} 1(\\.0)?$")
              .contains("http_server_requests_seconds_bucket{", "jvm_memory_used_bytes{", "jvm_threads_live_threads"));
      assertThat(config.messages()).noneMatch(m -> m.contains("go nowhere"));
    }
    assertThat(scrapeOfTheDefaultRegistry()).as("the app is gone: so are its series").doesNotContain("http_server_requests", "jvm_memory");
    assertThat(Metrics.globalRegistry.getRegistries()).isEmpty();
  }

  @Test
  void noRegistryAnywhere_aWarningAtStartNamesTheFix() throws Exception {
    assertThat(Metrics.globalRegistry.getRegistries()).isEmpty();
    try (ServletContainer container = newContainer()) {
      Http http = start(container, Map.of("budget", "1s"));
      assertThat(http.get("/api/hello").statusCode()).isEqualTo(200);
    }
    assertThat(config.events())
        .filteredOn(e -> e.getFormattedMessage().contains("go nowhere"))
        .singleElement()
        .satisfies(e -> assertThat(e.getLevel().toString()).isEqualTo("WARN"))
        .satisfies(e -> assertThat(e.getFormattedMessage()).contains("registry=prometheus", "PrometheusMetricsServlet"));
  }

  private static String scrapeOfTheDefaultRegistry() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, PrometheusRegistry.defaultRegistry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }
}
