package dev.requesttiming.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.requesttiming.core.BackendStub;
import dev.requesttiming.core.BudgetExhaustedException;
import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.TestRequest;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Each request factory Spring Boot builds really stops waiting at the budget: a backend that
 * answers after 5 s, a 1 s budget with a 250 ms reserve, a factory whose own read timeout is 90 s.
 */
class BudgetAwareRequestFactoryTest {

  static BackendStub backend;
  static RequestTiming<TestRequest> timing;
  static CallInterrupter interrupter;
  RequestBudget request;

  @BeforeAll
  static void start() {
    backend = BackendStub.start("grpc-timeout", 5_000);
    timing =
        RequestTiming.create(
            new SimpleMeterRegistry(),
            RequestTimingConfig.builder().budget(Duration.ofSeconds(1)).deadlineHeader("grpc-timeout").build(),
            TestRequest.ADAPTER);
    interrupter = new CallInterrupter();
  }

  @AfterAll
  static void stop() {
    interrupter.close();
    timing.close();
    backend.close();
  }

  @AfterEach
  void finishRequest() {
    if (request != null) {
      timing.finish(request, 200, null);
    }
    backend.clear();
  }

  static Stream<Arguments> factories() {
    return Stream.of(
        Arguments.of("JDK HttpClient", (Supplier<ClientHttpRequestFactoryBuilder<?>>) ClientHttpRequestFactoryBuilder::jdk),
        Arguments.of("Apache HttpClient 5", (Supplier<ClientHttpRequestFactoryBuilder<?>>) ClientHttpRequestFactoryBuilder::httpComponents),
        Arguments.of("Reactor Netty", (Supplier<ClientHttpRequestFactoryBuilder<?>>) ClientHttpRequestFactoryBuilder::reactor),
        Arguments.of("Jetty", (Supplier<ClientHttpRequestFactoryBuilder<?>>) ClientHttpRequestFactoryBuilder::jetty));
  }

  private RestClient client(Supplier<ClientHttpRequestFactoryBuilder<?>> builder) {
    ClientHttpRequestFactory factory =
        builder.get().build(org.springframework.boot.http.client.ClientHttpRequestFactorySettings.defaults().withReadTimeout(Duration.ofSeconds(90)));
    return RestClient.builder()
        .baseUrl(backend.url(""))
        .requestFactory(new BudgetAwareRequestFactory(factory, Duration.ofSeconds(90), interrupter))
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("factories")
  void aSlowCallIsCutOffAtTheBudgetMinusTheReserve(String name, Supplier<ClientHttpRequestFactoryBuilder<?>> builder) {
    RestClient client = client(builder);
    request = timing.start(new TestRequest("GET", "/api/ask"));

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> client.get().uri("/slow?q=secret").retrieve().body(String.class));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    // 1s budget - 250ms reserve: cut off at about 750ms, where the client alone would wait 5s (90s)
    assertThat(thrown).as(name).isInstanceOf(ResourceAccessException.class);
    assertThat(BudgetExhaustedException.in(thrown)).as(name + ": " + thrown).isNotNull();
    assertThat(BudgetExhaustedException.in(thrown).getMessage())
        .startsWith("GET /api/ask gave up on GET 127.0.0.1:" + backend.port() + "/slow after ")
        .containsPattern("after \\d{3}ms: ")
        .doesNotContain("secret");
    assertThat(tookMs).as(name + ": cut off, far before the client's own 5s").isBetween(650L, 2_000L);
    assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is cleared").isFalse();
    assertThat(backend.seen()).singleElement().asString().startsWith("/slow ").endsWith("m");
  }

  @Test
  void withNothingLeftTheCallIsNotMade() throws Exception {
    RestClient client = client(ClientHttpRequestFactoryBuilder::jdk);
    request = timing.start(new TestRequest("GET", "/api/ask"));
    Thread.sleep(800); // 200ms left, less than the reserve

    Throwable thrown = catchThrowable(() -> client.get().uri("/fast").retrieve().body(String.class));

    assertThat(BudgetExhaustedException.in(thrown).getMessage()).startsWith("GET /api/ask has no budget left for GET 127.0.0.1:").endsWith("the call was not made");
    assertThat(backend.seen()).isEmpty();
  }

  @Test
  void outsideARequestNothingChanges() {
    RestClient client = client(ClientHttpRequestFactoryBuilder::jdk);

    assertThat(client.get().uri("/fast").retrieve().body(String.class)).isEqualTo("ok");
    assertThat(backend.seen()).containsExactly("/fast null");
  }

  @Test
  void aFastCallWithinTheBudgetCarriesTheDeadline() {
    RestClient client = client(ClientHttpRequestFactoryBuilder::jdk);
    request = timing.start(new TestRequest("GET", "/api/ask"));

    assertThat(client.get().uri("/fast").retrieve().body(String.class)).isEqualTo("ok");
    // gRPC's form: about 750 ms left
    assertThat(backend.seen()).singleElement().asString().matches("/fast (7[0-4][0-9]|750)m");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void apache_aCallWaitingForAPooledConnectionInAnOutage_givesUpAtTheBudgetToo() throws Exception {
    // one connection per route, held by a call of another request that waits 5s on the backend
    RestClient client =
        client(() -> ClientHttpRequestFactoryBuilder.httpComponents()
            .withConnectionManagerCustomizer(pool -> pool.setMaxConnPerRoute(1).setMaxConnTotal(1)));
    Thread holder = new Thread(() -> {
      try {
        client.get().uri("/slow").retrieve().body(String.class);
      } catch (RuntimeException e) {
        // the backend is stopped at the end of the test class
      }
    }, "holder");
    holder.setDaemon(true);
    holder.start();
    Thread.sleep(300);
    request = timing.start(new TestRequest("GET", "/api/ask"));

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(() -> client.get().uri("/fast").retrieve().body(String.class));
    long tookMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(BudgetExhaustedException.in(thrown)).as(String.valueOf(thrown)).isNotNull();
    assertThat(tookMs).isBetween(650L, 2_000L);
    assertThat(backend.seen()).as("it never got a connection").containsExactly("/slow null");
  }
}
