package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/** Failures of the app, of the client and of the logging backend, and load, in a real container. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FaultScenarios {

  private SimpleMeterRegistry registry;
  private TimedApp app;

  abstract ServletContainer newContainer();

  @BeforeAll
  void start() throws Exception {
    registry = new SimpleMeterRegistry();
    app = TimedApp.start(newContainer(), registry, Map.of("budget", "1s", "report-interval", "1s"));
  }

  @AfterAll
  void stop() throws Exception {
    app.close();
  }

  @Test
  void aClientThatLeftBeforeTheAnswer_isCountedAbandoned() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", app.port())) {
      socket.getOutputStream().write(Http.rawRequest("GET", "/api/big?ms=300".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      socket.getOutputStream().flush();
      socket.setSoLinger(true, 0); // gone at once, with a reset: the app's writes fail
    }
    await().atMost(10, SECONDS).until(() -> app.count("/api/big") == 1);
    assertThat(registry.get("http.server.requests.abandoned").tag("uri", "/api/big").counter().count()).isEqualTo(1);
  }

  @Test
  void exceptionAfterCommit_keepsTheCommittedStatus() {
    // the container cuts the response short after the exception; the status line has gone out
    assertThat(app.http.raw(Http.rawRequest("GET", "/api/commit-then-fail".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
        .isEqualTo(202);
    await().atMost(5, SECONDS).until(() -> app.count("/api/commit-then-fail") == 1);
    Timer timer = app.requests("/api/commit-then-fail").timer();
    assertThat(timer.getId().getTag("status")).isEqualTo("202");
    assertThat(timer.getId().getTag("exception")).isEqualTo("IllegalStateException");
  }

  @Test
  void throwingLogger_leavesRequestsAlone_andTheWatchdogAndReporterRunning() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    TurboFilter broken =
        new TurboFilter() {
          @Override
          public FilterReply decide(
              Marker marker, ch.qos.logback.classic.Logger logger, Level level, String format, Object[] params, Throwable t) {
            if (logger.getName().startsWith("dev.requesttiming")) {
              throw new IllegalStateException("the logging backend is broken");
            }
            return FilterReply.NEUTRAL;
          }
        };
    broken.start();
    context.addTurboFilter(broken);
    try {
      assertThat(app.http.get("/api/stuck?ms=1300").body()).isEqualTo("finally");
      for (int i = 0; i < 20; i++) {
        assertThat(app.http.get("/api/hello/broken-log").statusCode()).isEqualTo(200);
      }
      Thread.sleep(1200); // a report interval passes with the logger broken
    } finally {
      context.getTurboFilterList().remove(broken);
    }
    await().atMost(5, SECONDS).until(() -> app.count("/api/hello/broken-log") == 20);
    assertThat(
            registry.get("http.server.requests.budget.flagged").tag("uri", "/api/stuck").tag("level", "exceeded").counter().count())
        .isGreaterThanOrEqualTo(1);
    try (LogCapture log = LogCapture.of("dev.requesttiming")) {
      assertThat(app.http.get("/api/sleep/after-broken-log?ms=700").statusCode()).isEqualTo(200);
      await().atMost(5, SECONDS).until(() ->
          log.messages().stream().anyMatch(m -> m.contains("GET /api/sleep/after-broken-log still running"))
              && log.messages().stream().anyMatch(m -> m.startsWith("slow endpoints from")));
    }
  }

  @Test
  void sixteenThreadsOfMixedTraffic_countedExactly() throws Exception {
    String[] paths = {"/api/hello/load", "/api/sleep/load?ms=15", "/api/fail/load"};
    String[] uris = {"/api/hello/load", "/api/sleep/load", "/api/fail/load"};
    AtomicLong responses = new AtomicLong();
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    List<Future<?>> clients = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      clients.add(pool.submit(() -> {
        while (System.nanoTime() < until) {
          String path = paths[ThreadLocalRandom.current().nextInt(paths.length)];
          app.http.get(path);
          responses.incrementAndGet();
        }
      }));
    }
    for (Future<?> f : clients) {
      f.get(60, SECONDS);
    }
    pool.shutdown();

    long served = app.servlet.served("/api/hello/load") + app.servlet.served("/api/sleep/load") + app.servlet.served("/api/fail/load");
    await().atMost(10, SECONDS).until(() -> total(uris) >= served);
    Thread.sleep(200);
    assertThat(total(uris)).isEqualTo(served);
    assertThat(served).isBetween(responses.get(), responses.get() + 16); // the client may retry a GET
    assertThat(responses.get()).isGreaterThan(1000);
  }

  private long total(String[] uris) {
    long sum = 0;
    for (String uri : uris) {
      sum += app.count(uri);
    }
    return sum;
  }
}
