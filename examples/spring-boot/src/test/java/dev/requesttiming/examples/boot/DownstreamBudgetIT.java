package dev.requesttiming.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.BackendStub;
import dev.requesttiming.core.LogCapture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The failure this library exists for, and its cure: a 2 s worker budget, a RAG client that would
 * wait 90 s, a backend that answers after 10 s. Each client (the auto-configured {@code RestClient},
 * a {@code RestTemplate} from Boot's builder, the JDK's {@code HttpClient} through {@code
 * DownstreamBudget}) gives up at the budget minus the 250 ms reserve, so the app answers 504 itself
 * before the worker budget is gone; the backend sees what was left in the deadline header; the
 * critical flag names the call the request waits on.
 */
class DownstreamBudgetIT {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static BackendStub backend;
  static ConfigurableApplicationContext app;
  static String base;
  static LogCapture budgetLog;

  @BeforeAll
  static void start() throws Exception {
    backend = BackendStub.start("X-Request-Timeout-Ms", 10_000);
    app =
        new SpringApplicationBuilder(BootDemoApplication.class)
            .run(
                "--server.port=0",
                "--request-timing.budget=2s",
                "--request-timing.endpoint-budgets=",
                "--request-timing.watchdog-interval=50ms",
                "--request-timing.flag-log-limit=100", // every flag a line: the test reads them
                "--request-timing.deadline-header=X-Request-Timeout-Ms",
                "--demo.rag-url=" + backend.url("/v1/query?user=secret"));
    budgetLog = LogCapture.of("dev.requesttiming.budget");
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    // a first call loads what the way out of a cut-off call uses (Spring's error paths, the JIT):
    // the measured calls are the app's steady state, not its first minute
    for (String client : new String[] {"restclient", "resttemplate", "jdk"}) {
      CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/ask?client=" + client)).build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (budgetLog != null) {
      budgetLog.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"restclient", "resttemplate", "jdk"})
  void theCallGivesUpWithinTheBudgetAndTheAppAnswersItself(String client) throws Exception {
    backend.clear();
    int flagsBefore = budgetLog.messages().size();

    long start = System.nanoTime();
    HttpResponse<String> response =
        CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/api/ask?client=" + client)).build(), HttpResponse.BodyHandlers.ofString());
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    // 2s budget - 250ms reserve = 1.75s; the app answers before its own 2s are gone
    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(tookMs).isBetween(1_600L, 1_990L);
    assertThat(response.body())
        .contains("GET /api/ask gave up on POST 127.0.0.1:" + backend.port() + "/v1/query after 1.")
        .contains("of its 2s budget gone, 250ms kept to answer")
        .doesNotContain("secret");
    // the backend was told what was left: about 1,750 ms
    assertThat(backend.seen())
        .singleElement()
        .satisfies(seen -> assertThat(Long.parseLong(seen.substring("/v1/query ".length()))).isBetween(1_500L, 1_750L));
    // the critical flag (at 1.6s) names the call the request waits on, never its query
    List<String> flags = budgetLog.messages().subList(flagsBefore, budgetLog.messages().size());
    assertThat(flags)
        .filteredOn(m -> m.startsWith("GET /api/ask still running") && m.contains("(critical)"))
        .singleElement()
        .asString()
        .contains("waiting on POST 127.0.0.1:" + backend.port() + "/v1/query for 1.")
        .doesNotContain("secret");
  }
}
