package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDK's HttpClient through {@link DownstreamBudget}, against a real backend that answers after 5 s. */
class DownstreamBudgetTest {

  static BackendStub backend;
  static final HttpClient client = HttpClient.newHttpClient();
  static RequestTiming<TestRequest> timing;
  RequestBudget request;

  @BeforeAll
  static void start() {
    backend = BackendStub.start("X-Request-Timeout-Ms", 5_000);
    timing =
        RequestTiming.create(
            new SimpleMeterRegistry(),
            RequestTimingConfig.builder().budget(Duration.ofSeconds(1)).deadlineHeader("X-Request-Timeout-Ms").build(),
            TestRequest.ADAPTER);
  }

  @AfterAll
  static void stop() {
    timing.close();
    backend.close();
  }

  @AfterEach
  void finish() {
    if (request != null) {
      timing.finish(request, 200, null);
    }
    backend.clear();
  }

  private static HttpRequest get(String path, Duration ownTimeout) {
    return HttpRequest.newBuilder(URI.create(backend.url(path)))
        .timeout(ownTimeout)
        .build();
  }

  @Test
  void aSlowCallGivesUpAtTheBudgetMinusTheReserve() {
    request = timing.start(new TestRequest("GET", "/api/ask"));

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> DownstreamBudget.send(client, get("/slow", Duration.ofSeconds(90)), HttpResponse.BodyHandlers.ofString()));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(thrown)
        .isInstanceOf(BudgetExhaustedException.class)
        .hasMessageStartingWith("GET /api/ask gave up on GET 127.0.0.1:" + backend.port() + "/slow after ")
        .hasMessageMatching("(?s).* after \\d{3}ms: .*")
        .hasCauseInstanceOf(HttpTimeoutException.class);
    assertThat(tookMs).isBetween(650L, 1_000L);
    assertThat(backend.seen()).singleElement().satisfies(seen -> assertThat(Long.parseLong(seen.substring("/slow ".length()))).isBetween(650L, 750L));
  }

  @Test
  void itsOwnShorterTimeoutStaysItsOwn() {
    request = timing.start(new TestRequest("GET", "/api/ask"));

    Throwable thrown = catchThrowable(() -> DownstreamBudget.send(client, get("/slow", Duration.ofMillis(200)), HttpResponse.BodyHandlers.ofString()));

    assertThat(thrown).isExactlyInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void aFastCallAnswers_andOutsideARequestNothingChanges() throws Exception {
    assertThat(DownstreamBudget.send(client, get("/fast", Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    assertThat(backend.seen()).containsExactly("/fast null");

    request = timing.start(new TestRequest("GET", "/api/ask"));
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(backend.url("/fast")));
    HttpRequest applied = DownstreamBudget.apply(builder, Duration.ofSeconds(90)).build();
    assertThat(applied.timeout()).hasValueSatisfying(t -> assertThat(t).isBetween(Duration.ofMillis(600), Duration.ofMillis(750)));
    assertThat(applied.headers().firstValue("X-Request-Timeout-Ms")).isPresent();
  }

  @Test
  void aDeadlineHeaderTheJdkClientRefuses_isLeftOut_andTheCallGoesOn() throws Exception {
    try (RequestTiming<TestRequest> expecting =
            RequestTiming.create(
                new SimpleMeterRegistry(),
                RequestTimingConfig.builder().budget(Duration.ofSeconds(1)).deadlineHeader("Expect").build(),
                TestRequest.ADAPTER);
        LogCapture failures = LogCapture.of("dev.requesttiming")) {
      RequestBudget r = expecting.start(new TestRequest("GET", "/api/ask"));
      try {
        assertThat(DownstreamBudget.send(client, get("/fast", Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString()).body())
            .isEqualTo("ok");
      } finally {
        expecting.finish(r, 200, null);
      }
      assertThat(failures.messages()).anyMatch(m -> m.contains("failed in setting the deadline header"));
    }
  }
}
