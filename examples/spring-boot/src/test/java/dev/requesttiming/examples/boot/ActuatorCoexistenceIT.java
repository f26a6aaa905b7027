package dev.requesttiming.examples.boot;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.requesttiming.core.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The example app with Spring Boot Actuator, which records {@code http.server.requests} itself:
 * request-timing leaves that timer to it, so /actuator/prometheus counts every request exactly once,
 * and adds its own meters, flags and reports.
 */
@AutoConfigureObservability // Boot's tests switch metrics off; this app keeps them on, as in production
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"request-timing.budget=1s", "request-timing.endpoint-budgets=POST /api/chat=1s"})
class ActuatorCoexistenceIT {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @LocalServerPort int port;

  private HttpResponse<String> send(String method, String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long count(String scrape, String uri) {
    Matcher m = Pattern.compile("(?m)^http_server_requests_seconds_count\\{([^}]*uri=\"" + Pattern.quote(uri) + "\"[^}]*)} ([0-9.]+)").matcher(scrape);
    long total = 0;
    while (m.find()) {
      total += (long) Double.parseDouble(m.group(2));
    }
    return total;
  }

  @Test
  void everyRequestCountedOnce_withTheControllerTemplate_andOurMetersBeside() throws Exception {
    try (LogCapture budget = LogCapture.of("dev.requesttiming.budget")) {
      for (int i = 0; i < 30; i++) {
        assertThat(send("GET", "/api/users/u" + i).statusCode()).isEqualTo(200);
      }
      assertThat(send("GET", "/api/slow?ms=1300").statusCode()).isEqualTo(200);

      await().atMost(10, SECONDS).untilAsserted(() -> {
        String scrape = send("GET", "/actuator/prometheus").body();
        assertThat(count(scrape, "/api/users/{id}")).isEqualTo(30);
        // Boot's timer, with its own "error" tag: request-timing left http.server.requests to it
        assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{error=\"none\",exception=\"none\",method=\"GET\"");
        assertThat(count(scrape, "/api/slow")).isEqualTo(1);
        assertThat(scrape)
            .contains("http_server_requests_budget_seconds{method=\"GET\",uri=\"/api/users/{id}\"} 1.0")
            .containsPattern("http_server_requests_budget_flagged_total\\{level=\"exceeded\",method=\"GET\",uri=\"/api/slow\"} 1");
      });
      assertThat(budget.messages()).anyMatch(m -> m.startsWith("GET /api/slow still running after") && m.contains("(critical)"));
    }
  }

  @Test
  void chat_usesTheRemainingBudget_andAnswers504InsteadOfBeingKilled() throws Exception {
    HttpResponse<String> answer = send("POST", "/api/chat?backendMs=5000");
    assertThat(answer.statusCode()).isEqualTo(504);
    assertThat(answer.body()).contains("did not answer within the remaining budget");
    assertThat(List.of(send("POST", "/api/chat?backendMs=50").statusCode())).containsExactly(200);
  }
}
