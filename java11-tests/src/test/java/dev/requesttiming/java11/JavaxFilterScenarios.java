package dev.requesttiming.java11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.javax.RequestTimingFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.servlet.DispatcherType;
import javax.servlet.FilterRegistration;
import javax.servlet.ServletContainerInitializer;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The javax filter in an embedded container on a Java 11 JVM, with Micrometer 1.9 and SLF4J 1.7
 * (Spring Boot 2.7's), over real HTTP: requests timed per endpoint from several clients at once, and
 * a slow request flagged while it still runs. A subclass per container.
 */
abstract class JavaxFilterScenarios {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final HttpClient client = HttpClient.newHttpClient();
  private String base;

  /** Answers at once, but {@code /api/slow} sleeps for 3 s. */
  static final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getRequestURI().equals("/api/slow")) {
        try {
          Thread.sleep(3000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      response.setContentType("text/plain");
      response.getWriter().write("ok\n");
    }
  }

  /**
   * Starts the container on a free loopback port with {@code setup} run at its start (it registers
   * the filter, as a web app's initializer does) and {@code app} mapped to {@code /}; returns the port.
   */
  abstract int start(ServletContainerInitializer setup, HttpServlet app) throws Exception;

  abstract void stop() throws Exception;

  @BeforeEach
  void startContainer() throws Exception {
    Java11.assertRunningOnJava11();
    RequestTimingConfig config = RequestTimingConfig.builder()
        .budget(Duration.ofSeconds(2))
        .warnAt(0.5)
        .routes("/api/users/{id}")
        .reportInterval(Duration.ZERO)
        .build();
    int port = start((classes, servletContext) -> {
      FilterRegistration.Dynamic filter = servletContext.addFilter("requestTiming", new RequestTimingFilter(registry, config));
      filter.setAsyncSupported(true);
      filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
    }, new App());
    base = "http://127.0.0.1:" + port;
  }

  @AfterEach
  void stopContainer() throws Exception {
    stop();
  }

  @Test
  void theJarsJava11Classes_areLoaded() throws Exception {
    assertThat(Java11.jarOf(RequestTimingFilter.class)).endsWith(".jar").contains("request-timing-servlet-javax");
    assertThat(Java11.jarOf(RequestTiming.class)).endsWith(".jar").contains("request-timing-core");
    assertThat(Java11.classFileVersion(RequestTimingFilter.class)).isEqualTo(55);
    assertThat(Java11.classFileVersion(RequestTiming.class)).isEqualTo(55);
  }

  @Test
  void requestsFromSeveralClients_areCountedPerEndpoint() throws Exception {
    int clients = 4;
    int each = 50;
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        runs.add(CompletableFuture.runAsync(() -> {
          for (int i = 0; i < each; i++) {
            assertThat(get("/api/users/" + i).statusCode()).isEqualTo(200);
          }
        }, pool));
      }
      CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
            registry.get("http.server.requests").tag("uri", "/api/users/{id}").tag("status", "200").timer().count())
        .isEqualTo(clients * each));
  }

  @Test
  void aSlowRequest_isFlaggedWhileItRuns() throws Exception {
    try (LogEvents logs = new LogEvents()) {
      CompletableFuture<HttpResponse<String>> slow =
          client.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/slow")).build(), HttpResponse.BodyHandlers.ofString());

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(logs.messages("dev.requesttiming.budget"))
          .anySatisfy(line -> assertThat(line).contains("GET /api/slow still running after", "of its 2s budget")));
      assertThat(slow).as("flagged before it finished").isNotDone();

      assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
              registry.get("http.server.requests").tag("uri", "/api/slow").timer().max(TimeUnit.MILLISECONDS))
          .isGreaterThanOrEqualTo(3000));
    }
  }

  private HttpResponse<String> get(String path) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
