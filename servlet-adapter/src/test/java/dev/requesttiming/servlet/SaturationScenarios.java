package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.LogCapture;
import dev.requesttiming.core.Report;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An overload in a real container behind a real nginx: a small worker pool, more
 * clients than workers on an endpoint well under the budget, nginx giving up at the budget. Every
 * request nginx cuts is one we count exceeded, the queue time we record is the one nginx saw, the
 * report and one saturation warning say the pool was full, and the log stays short.
 */
abstract class SaturationScenarios {

  static final int WORKERS = 12;
  private static final Duration BUDGET = Duration.ofSeconds(2);
  private static final int CLIENTS = 40;
  private static final long SERVICE_MILLIS = 900;
  private static final String STAMP = "X-Request-Start";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  /** A container whose pool serves {@link #WORKERS} requests at once. */
  abstract ServletContainer newContainer();

  @BeforeEach
  void platformThreads() {
    assumeThat(ServletContainer.virtualThreads()).as("under virtual threads there is no pool to fill").isFalse();
    Nginx.requireBinary();
  }

  @Test
  void behindNginx_everyRequestItCutIsExceeded_theQueueTimeIsNginxs_andThePoolsFillIsOneWarning() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (LogCapture log = LogCapture.of("dev.requesttiming");
        TimedApp app = TimedApp.start(newContainer(), registry, params(STAMP));
        Nginx nginx = Nginx.start(app.port(), BUDGET, STAMP)) {
      int sent = storm(nginx, 10_000);
      awaitDrainedAndRecovered(app, log, sent);

      List<Nginx.Logged> logged = nginx.accessLog();
      List<Nginx.Logged> answered = logged.stream().filter(l -> l.status() == 200).toList();
      long cut = logged.stream().filter(l -> l.status() == 504).count();
      assertThat(answered.size() + cut).as("nginx answered 200 or 504: " + logged).isEqualTo(sent);
      double ours = answered.stream().mapToLong(Nginx.Logged::queueMillis).average().orElse(Double.NaN);
      double nginxs = answered.stream().mapToDouble(l -> l.requestSeconds() * 1000 - l.appMillis()).average().orElse(Double.NaN);
      double exceeded = flagged(registry, "exceeded");
      double abandoned = counted(registry, "http.server.requests.abandoned");
      System.out.printf("%s behind nginx: %d requests, nginx answered %d with 200 and cut %d (504); we flagged %.0f"
              + " exceeded and %.0f abandoned; mean wait of the answered: ours %.0fms, nginx's %.0fms%n%s%n",
          newContainer(), sent, answered.size(), cut, exceeded, abandoned, ours, nginxs, app.timing().reports().snapshot());
      if (Boolean.getBoolean("requesttiming.it.print-log")) {
        log.events().forEach(e -> System.out.println(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage() + " " + LogCapture.keyValues(e)));
      }
      assertThat(cut).as("a full pool: most requests wait past the budget").isGreaterThan(sent / 2);
      assertThat(answered).as("the first requests are answered in time").hasSizeGreaterThanOrEqualTo(WORKERS);

      // the queue time we count is the wait nginx saw: its time less the app's own
      assertThat(ours).as("mean queue time of the requests nginx answered, theirs " + nginxs).isCloseTo(nginxs, withinPercent(nginxs, 20));
      Timer queue = registry.get("http.server.requests.queue").timer();
      assertThat(queue.count()).as("every request, once a worker took it").isEqualTo(sent);
      assertThat(queue.max(TimeUnit.MILLISECONDS)).as("waits past the budget").isGreaterThan(BUDGET.toMillis());

      // every request nginx cut is one we counted exceeded, and few more
      assertThat(exceeded).as("nginx cut " + cut).isGreaterThanOrEqualTo(cut).isLessThanOrEqualTo(cut + sent / 20.0);

      // those that reached a worker after nginx had given up were answered to no one
      assertThat(abandoned).as("nginx cut " + cut).isGreaterThanOrEqualTo(cut / 2.0).isLessThanOrEqualTo(cut);

      Report report = app.timing().reports().snapshot();
      EndpointReport queued = report.endpoints().get(0);
      assertThat(queued.uri()).isEqualTo("/api/queued");
      assertThat(queued.budgetPressure()).as("p99 from nginx's stamp").isGreaterThanOrEqualTo(1.0);
      String header = report.toString().lines().findFirst().orElseThrow();
      assertThat(header).matches(".*; workers: peak 1[12]/" + WORKERS + " busy, saturated \\d+\\.\\ds of \\d+\\.\\ds;"
          + " queue p50 \\S+ p99 \\S+ max \\S+");
      assertSaturationLines(log);
      assertThat(warnings(log)).as("WARN lines for the incident").hasSizeLessThanOrEqualTo(60);
    }
  }

  @Test
  void withoutTheStamp_thePoolsFillAndTheSaturationWarningStill() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (LogCapture log = LogCapture.of("dev.requesttiming");
        TimedApp app = TimedApp.start(newContainer(), registry, params(null));
        Nginx nginx = Nginx.start(app.port(), BUDGET, null)) {
      int sent = storm(nginx, 6_000);
      awaitDrainedAndRecovered(app, log, sent);

      assertThat(registry.find("http.server.requests.queue").timer()).isNull();
      assertThat(registry.get("http.server.requests.workers.limit").gauge().value()).isEqualTo(WORKERS);
      Report report = app.timing().reports().snapshot();
      assertThat(report.queue()).isNull();
      assertThat(report.toString().lines().findFirst().orElseThrow())
          .matches(".*; workers: peak 1[12]/" + WORKERS + " busy, saturated \\d+\\.\\ds of \\d+\\.\\ds");
      assertSaturationLines(log);
    }
  }

  private static Map<String, String> params(String stampHeader) {
    Map<String, String> params = new java.util.HashMap<>(Map.of(
        "budget", BUDGET.toSeconds() + "s", "upstream-timeouts", "nginx=" + BUDGET.toSeconds() + "s", "report-interval", "10m", "app-packages", TestApp.class.getName()));
    if (stampHeader != null) {
      params.put("request-start-header", stampHeader);
    }
    return params;
  }

  /** {@link #CLIENTS} clients call the endpoint through nginx for {@code millis}; returns how many requests they sent. */
  private static int storm(Nginx nginx, long millis) {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      long end = System.currentTimeMillis() + millis;
      List<CompletableFuture<Integer>> sent = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        sent.add(CompletableFuture.supplyAsync(() -> {
          int n = 0;
          while (System.currentTimeMillis() < end) {
            int status = get(nginx.port, "/api/queued?ms=" + SERVICE_MILLIS);
            assertThat(status).isIn(200, 504);
            n++;
          }
          return n;
        }, clients));
      }
      return sent.stream().mapToInt(CompletableFuture::join).sum();
    } finally {
      clients.shutdown();
    }
  }

  private static int get(int port, String path) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build();
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The app works off what nginx queued at it, and a second later the workers count as recovered. */
  private static void awaitDrainedAndRecovered(TimedApp app, LogCapture log, int sent) {
    await().atMost(60, SECONDS).until(() -> app.count("/api/queued") == sent);
    await().atMost(10, SECONDS).until(() -> !events(log, "workers_recovered").isEmpty());
  }

  private static void assertSaturationLines(LogCapture log) {
    assertThat(events(log, "workers_saturated")).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage()).matches(
          "workers saturated: 1[12]/12 busy \\((Jetty's QueuedThreadPool|Tomcat's connector executor).*\\); held by GET /api/queued 1[12].*");
    });
    assertThat(events(log, "workers_recovered")).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
        .matches("workers recovered: saturated for \\d+\\.\\ds, peak 1[12]/12 busy");
  }

  private static List<ILoggingEvent> events(LogCapture log, String event) {
    Predicate<ILoggingEvent> isEvent = e -> LogCapture.keyValues(e).contains("event=" + event);
    return log.events().stream().filter(isEvent).toList();
  }

  private static List<ILoggingEvent> warnings(LogCapture log) {
    return log.events().stream().filter(e -> e.getLevel() == Level.WARN).toList();
  }

  private static double counted(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double flagged(MeterRegistry registry, String level) {
    return registry.find("http.server.requests.budget.flagged").tag("level", level).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  private static org.assertj.core.data.Offset<Double> withinPercent(double value, double percent) {
    return org.assertj.core.data.Offset.offset(Math.abs(value) * percent / 100);
  }
}
