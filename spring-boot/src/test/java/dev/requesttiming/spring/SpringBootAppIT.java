package dev.requesttiming.spring;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.requesttiming.core.LogCapture;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A Spring Boot app without Actuator: the dependency and a few properties give the whole product. */
@SpringBootTest(
    classes = SpringBootAppIT.App.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"request-timing.budget=1s", "request-timing.report-interval=1s"})
class SpringBootAppIT {

  @SpringBootApplication
  static class App {
    @Bean
    PrometheusMeterRegistry prometheusMeterRegistry() {
      return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    @RestController
    static class Api {
      @GetMapping("/api/users/{id}")
      String user(@PathVariable String id) {
        return id;
      }

      @GetMapping("/api/slow")
      String slow(@RequestParam long ms) throws InterruptedException {
        Thread.sleep(ms);
        return "slept";
      }
    }
  }

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @LocalServerPort int port;
  @Autowired PrometheusMeterRegistry registry;

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void controllerTemplate_isTheUri_eachRequestCountedOnce() throws Exception {
    for (int i = 0; i < 25; i++) {
      assertThat(get("/api/users/user-" + i).statusCode()).isEqualTo(200);
    }
    // without Actuator's observation our timer records, published to the Prometheus registry directly
    await().atMost(5, SECONDS).untilAsserted(() -> assertThat(registry.scrape())
        .containsPattern("http_server_requests_seconds_count\\{exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/users/\\{id}\"} 25"));
  }

  @Test
  void slowRequest_flaggedWhileRunning_andReported() throws Exception {
    try (LogCapture budget = LogCapture.of("dev.requesttiming.budget");
        LogCapture report = LogCapture.of("dev.requesttiming.report")) {
      assertThat(get("/api/slow?ms=1300").statusCode()).isEqualTo(200);
      long answered = System.currentTimeMillis();
      await().atMost(5, SECONDS).until(() -> budget.events().size() >= 3);
      assertThat(budget.events().get(1).getFormattedMessage()).contains("GET /api/slow still running").contains("(critical)");
      assertThat(budget.events().get(1).getTimeStamp()).isLessThan(answered);
      await().atMost(5, SECONDS).until(() -> report.messages().stream().anyMatch(m -> m.contains("GET /api/slow")));
    }
  }
}
