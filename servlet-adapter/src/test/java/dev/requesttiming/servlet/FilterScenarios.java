package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The filter's behaviour over real HTTP; subclasses run it in each container. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FilterScenarios {

  private PrometheusMeterRegistry registry;
  private TimedApp app;

  abstract ServletContainer newContainer();

  @BeforeAll
  void startApp() throws Exception {
    registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    app = TimedApp.start(newContainer(), registry, Map.of("budget", "30s"));
  }

  @AfterAll
  void stopApp() throws Exception {
    app.close();
  }

  @Test
  void requestsAreServedOnTheThreadsThisRunAskedFor() {
    HttpResponse<String> answer = app.http.get("/api/thread");
    assertThat(answer.body()).isEqualTo(ServletContainer.virtualThreads() ? "virtual" : "platform");
    await().atMost(5, SECONDS).until(() -> app.count("/api/thread") == 1);
  }

  /**
   * Tomcat 10.1 and Jetty 12 note when they received a request, and its time starts there: what ran
   * before the filter (here a filter that waits 300 ms) counts. The javax containers (Tomcat 9, Jetty
   * 12's ee8) do not say, and its time starts at the filter. The next request on the kept-alive
   * connection, half a second later, starts at its own receipt, not the connection's.
   */
  @Test
  void requestsTime_startsWhenTheContainerReceivedIt() throws InterruptedException {
    boolean containerSays = HttpServletRequest.class.getName().startsWith("jakarta.");
    assertThat(app.http.get("/api/hello/received", TimedApp.BEFORE_FILTER_MS, "300").statusCode()).isEqualTo(200);
    Thread.sleep(500);
    assertThat(app.http.get("/api/hello/received-later").statusCode()).isEqualTo(200);

    await().atMost(5, SECONDS).until(() -> app.count("/api/hello/received") == 1 && app.count("/api/hello/received-later") == 1);
    double millis = app.series("/api/hello/received").sumSeconds() * 1000;
    if (containerSays) {
      assertThat(millis).isBetween(300.0, 5_000.0);
    } else {
      assertThat(millis).isLessThan(300.0);
    }
    assertThat(app.series("/api/hello/received-later").sumSeconds() * 1000).isLessThan(300.0);
  }

  @Test
  void syncRequest_recordedWithSpringBootTags() {
    assertThat(app.http.get("/api/hello").statusCode()).isEqualTo(200);

    await().atMost(5, SECONDS).until(() -> app.count("/api/hello") == 1);
    assertThat(app.series("/api/hello").labels())
        .containsOnly(
            Map.entry("exception", "none"), Map.entry("method", "GET"), Map.entry("outcome", "SUCCESS"),
            Map.entry("status", "200"), Map.entry("uri", "/api/hello"));
  }

  @Test
  void pathIds_collapseIntoOneSeries_withExactCountInPrometheusText() {
    for (int n = 0; n < 1000; n++) {
      assertThat(app.http.get("/api/users/" + n).statusCode()).isEqualTo(200);
    }

    await().atMost(5, SECONDS).until(() -> app.count("/api/users/{id}") == 1000);
    assertThat(uris()).filteredOn(u -> u.startsWith("/api/users")).containsExactly("/api/users/{id}");
    assertThat(registry.scrape())
        .containsPattern(
            "(?m)^http_server_requests_seconds_count\\{exception=\"none\",method=\"GET\","
                + "outcome=\"SUCCESS\",status=\"200\",uri=\"/api/users/\\{id}\"} 1000(\\.0)?$");
  }

  @Test
  void asyncRequest_timedUntilComplete_countedOnce() {
    HttpResponse<String> response = app.http.get("/api/async?ms=300");

    assertThat(response.body()).isEqualTo("async");
    await().atMost(5, SECONDS).until(() -> app.count("/api/async") == 1);
    ScrapedSeries series = app.series("/api/async");
    assertThat(series.sumMillis()).isGreaterThanOrEqualTo(300);
    assertThat(series.labels().get("status")).isEqualTo("200");
    sleepMillis(300);
    assertThat(app.count("/api/async")).isEqualTo(1);
  }

  @Test
  void asyncRedispatch_countedOnce() {
    assertThat(app.http.get("/api/async-dispatch").body()).isEqualTo("dispatched");

    await().atMost(5, SECONDS).until(() -> app.count("/api/async-dispatch") == 1);
    sleepMillis(300);
    assertThat(app.count("/api/async-dispatch")).isEqualTo(1);
    assertThat(app.series("/api/async-dispatch").sumMillis()).isGreaterThanOrEqualTo(100);
  }

  @Test
  void asyncTimeout_recordedOnceWithTheStatusTheClientSaw() {
    HttpResponse<String> response = app.http.get("/api/async-timeout");

    await().atMost(5, SECONDS).until(() -> app.count("/api/async-timeout") == 1);
    ScrapedSeries series = app.series("/api/async-timeout");
    assertThat(series.labels().get("status")).isEqualTo(Integer.toString(response.statusCode()));
    assertThat(response.statusCode()).isGreaterThanOrEqualTo(500);
    assertThat(series.sumMillis()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void exception_recordedAs500WithItsClass_andTheContainerAnswers500() {
    HttpResponse<String> response = app.http.get("/api/fail");

    assertThat(response.statusCode()).isEqualTo(500);
    await().atMost(5, SECONDS).until(() -> app.count("/api/fail") == 1);
    Map<String, String> labels = app.series("/api/fail").labels();
    assertThat(labels.get("status")).isEqualTo("500");
    assertThat(labels.get("exception")).isEqualTo("IllegalStateException");
    assertThat(labels.get("outcome")).isEqualTo("SERVER_ERROR");
  }

  @Test
  void sendError_statusRecorded() {
    assertThat(app.http.get("/api/unavailable").statusCode()).isEqualTo(503);

    await().atMost(5, SECONDS).until(() -> app.count("/api/unavailable") == 1);
    assertThat(app.series("/api/unavailable").labels().get("status")).isEqualTo("503");
  }

  @Test
  void unmatched404_recordedAsNotFound_notAsItsPath() {
    assertThat(app.http.get("/wp-admin/setup-config.php").statusCode()).isEqualTo(404);

    await().atMost(5, SECONDS).until(() -> app.count("NOT_FOUND") >= 1);
    assertThat(uris()).noneMatch(u -> u.contains("wp-admin"));
  }

  @Test
  void concurrentRequests_countedExactly() throws Exception {
    int threads = 8;
    int perThread = 2000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger ok = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  if (app.http.get("/api/hello/concurrent").statusCode() == 200) {
                    ok.incrementAndGet();
                  }
                }
              }));
    }
    for (Future<?> f : futures) {
      f.get(3, java.util.concurrent.TimeUnit.MINUTES);
    }
    pool.shutdown();

    assertThat(ok.get()).isEqualTo(threads * perThread);
    await().atMost(10, SECONDS).until(() -> app.count("/api/hello/concurrent") >= threads * perThread);
    sleepMillis(200);
    // Exactly what the app served. java.net.http retries a GET whose pooled connection the server
    // closed, so once in a while the app serves one request more than the client counted.
    long served = app.servlet.served("/api/hello/concurrent");
    assertThat(app.count("/api/hello/concurrent")).isEqualTo(served);
    assertThat(served).isBetween((long) threads * perThread, (long) threads * perThread + 8);
  }

  @Test
  void randomPaths_boundedByMaxEndpoints() throws Exception {
    MeterRegistry bounded = new SimpleMeterRegistry();
    try (TimedApp small = TimedApp.start(newContainer(), bounded, Map.of("max-endpoints", "100"))) {
      Random random = new Random(42);
      for (int i = 0; i < 10_000; i++) {
        assertThat(small.http.get("/any/" + word(random) + "/" + word(random)).statusCode())
            .isEqualTo(200);
      }
      await().atMost(10, SECONDS).until(() -> totalCount(bounded) == 10_000);
      Set<String> uris = uris(bounded);
      uris.removeAll(Set.of("OTHER", "NOT_FOUND", "REDIRECTION", "UNKNOWN"));
      assertThat(uris).hasSize(100);
      assertThat(small.count("OTHER")).isEqualTo(10_000 - 100);
    }
  }

  @Test
  void throwingRegistry_leavesEveryResponseUnchanged() throws Exception {
    try (TimedApp broken = TimedApp.start(newContainer(), new ThrowingMeterRegistry(), Map.of())) {
      for (int i = 0; i < 50; i++) {
        HttpResponse<String> response = broken.http.get("/api/users/" + i);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello");
      }
      assertThat(broken.http.get("/api/async?ms=10").body()).isEqualTo("async");
      assertThat(broken.http.get("/api/fail").statusCode()).isEqualTo(500);
    }
  }

  /** The routes in the scrape: this app publishes its request timer to Prometheus directly. */
  private Set<String> uris() {
    assertThat(registry.find("http.server.requests").meters()).as("published directly, not through Micrometer").isEmpty();
    Set<String> uris = new TreeSet<>();
    ScrapedSeries.all(registry).forEach(s -> uris.add(s.labels().get("uri")));
    return uris;
  }

  private static Set<String> uris(MeterRegistry registry) {
    Set<String> uris = new TreeSet<>();
    for (Meter meter : registry.find("http.server.requests").meters()) {
      uris.add(meter.getId().getTag("uri"));
    }
    return uris;
  }

  private static long totalCount(MeterRegistry registry) {
    return registry.find("http.server.requests").timers().stream().mapToLong(Timer::count).sum();
  }

  private static String word(Random random) {
    char[] chars = new char[6 + random.nextInt(6)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(chars);
  }

  static void sleepMillis(long ms) {
    try {
      Thread.sleep(Duration.ofMillis(ms).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
