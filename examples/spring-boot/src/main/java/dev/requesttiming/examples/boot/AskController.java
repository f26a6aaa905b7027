package dev.requesttiming.examples.boot;

import dev.requesttiming.core.BudgetExhaustedException;
import dev.requesttiming.core.DownstreamBudget;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Asks a RAG backend, with any of three clients, each with its own 90 s timeout, as in the story of
 * this library. The calls inherit the request's budget: the auto-configured {@code RestClient} and
 * {@code RestTemplate} by themselves, the JDK client through {@link DownstreamBudget}. When the
 * backend is too slow the call gives up in time for the app to answer 504 itself.
 */
@RestController
class AskController {

  private final RestClient restClient;
  private final RestTemplate restTemplate;
  private final HttpClient jdkClient = HttpClient.newHttpClient();
  /** The RAG backend; by default this app's own {@code /internal/rag}. */
  private final String ragUrl;

  AskController(
      RestClient.Builder restClients,
      RestTemplate ragTemplate,
      @Value("${demo.rag-url:}") String ragUrl) {
    this.restClient = restClients.build();
    this.restTemplate = ragTemplate;
    this.ragUrl = ragUrl;
  }

  @GetMapping("/api/ask")
  ResponseEntity<String> ask(@RequestParam(defaultValue = "restclient") String client) throws Exception {
    URI rag =
        ragUrl.isEmpty()
            ? ServletUriComponentsBuilder.fromCurrentContextPath().path("/internal/rag").build().toUri()
            : URI.create(ragUrl);
    try {
      String answer =
          switch (client) {
            case "resttemplate" -> restTemplate.postForObject(rag, "question", String.class);
            case "jdk" ->
                DownstreamBudget.send(
                        jdkClient,
                        HttpRequest.newBuilder(rag)
                            .timeout(Duration.ofSeconds(90))
                            .POST(HttpRequest.BodyPublishers.ofString("question"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body();
            default -> restClient.post().uri(rag).body("question").retrieve().body(String.class);
          };
      return ResponseEntity.ok(answer);
    } catch (Exception e) {
      BudgetExhaustedException exhausted = BudgetExhaustedException.in(e); // RestClient wraps it
      if (exhausted == null) {
        throw e;
      }
      return ResponseEntity.status(HttpStatus.GATEWAY_TIMEOUT).body(exhausted.getMessage());
    }
  }

  /** The demo's RAG backend: answers after {@code ms} (default 10 s). */
  @PostMapping("/internal/rag")
  String rag(@RequestBody String question, @RequestParam(defaultValue = "10000") long ms) throws InterruptedException {
    Thread.sleep(Math.min(ms, 60_000));
    return "{\"answer\":\"42\"}";
  }
}
