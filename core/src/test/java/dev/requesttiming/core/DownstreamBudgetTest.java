package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JDK's HttpClient through {@link DownstreamBudget}, against a real backend that answers after 5 s. */
class DownstreamBudgetTest {

  static HttpServer backend;
  static ExecutorService backendThreads;
  static final Queue<String> deadlines = new ConcurrentLinkedQueue<>();
  static final HttpClient client = HttpClient.newHttpClient();
  static RequestTiming timing;
  RequestBudget request;

  @BeforeAll
  static void start() throws IOException {
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backendThreads = Executors.newCachedThreadPool();
    backend.setExecutor(backendThreads);
    backend.createContext("/", exchange -> {
      deadlines.add(String.valueOf(exchange.getRequestHeaders().getFirst("X-Request-Timeout-Ms")));
      try {
        Thread.sleep(exchange.getRequestURI().getPath().equals("/slow") ? 5_000 : 0);
        exchange.sendResponseHeaders(200, 2);
        exchange.getResponseBody().write("ok".getBytes());
      } catch (InterruptedException | IOException e) {
        // stopped
      } finally {
        exchange.close();
      }
    });
    backend.start();
    timing =
        RequestTiming.create(
            new SimpleMeterRegistry(),
            RequestTimingConfig.builder().budget(Duration.ofSeconds(1)).deadlineHeader("X-Request-Timeout-Ms").build(),
            carrier -> null);
  }

  @AfterAll
  static void stop() {
    timing.close();
    backend.stop(0);
    backendThreads.shutdownNow();
  }

  @AfterEach
  void finish() {
    if (request != null) {
      timing.finish(request, 200, null);
    }
    deadlines.clear();
  }

  private static HttpRequest get(String path, Duration ownTimeout) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + path))
        .timeout(ownTimeout)
        .build();
  }

  @Test
  void aSlowCallGivesUpAtTheBudgetMinusTheReserve() {
    request = timing.start("GET", "/api/ask", new Object());

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> DownstreamBudget.send(client, get("/slow", Duration.ofSeconds(90)), HttpResponse.BodyHandlers.ofString()));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(thrown)
        .isInstanceOf(BudgetExhaustedException.class)
        .hasMessageStartingWith("GET /api/ask gave up on GET 127.0.0.1:" + backend.getAddress().getPort() + "/slow after 0.")
        .hasCauseInstanceOf(HttpTimeoutException.class);
    assertThat(tookMs).isBetween(650L, 1_000L);
    assertThat(deadlines).singleElement().satisfies(ms -> assertThat(Long.parseLong(ms)).isBetween(650L, 750L));
  }

  @Test
  void itsOwnShorterTimeoutStaysItsOwn() {
    request = timing.start("GET", "/api/ask", new Object());

    Throwable thrown = catchThrowable(() -> DownstreamBudget.send(client, get("/slow", Duration.ofMillis(200)), HttpResponse.BodyHandlers.ofString()));

    assertThat(thrown).isExactlyInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void aFastCallAnswers_andOutsideARequestNothingChanges() throws Exception {
    assertThat(DownstreamBudget.send(client, get("/fast", Duration.ofSeconds(5)), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    assertThat(deadlines).containsExactly("null");

    request = timing.start("GET", "/api/ask", new Object());
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.getAddress().getPort() + "/fast"));
    HttpRequest applied = DownstreamBudget.apply(builder, Duration.ofSeconds(90)).build();
    assertThat(applied.timeout()).hasValueSatisfying(t -> assertThat(t).isBetween(Duration.ofMillis(600), Duration.ofMillis(750)));
    assertThat(applied.headers().firstValue("X-Request-Timeout-Ms")).isPresent();
  }
}
