package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * When one endpoint is slow, the others keep answering: a real nginx ({@code proxy_read_timeout}
 * 2s, stamping {@code X-Request-Start}) in front of a container with 12 workers, 30 clients calling a
 * slow endpoint (1.5s, 75 % of the 2s budget) twice a second each and 4 clients calling a 1 ms
 * endpoint ten times a second each. With {@code shed-spent}, {@code shed-late} and {@code
 * endpoint-share=0.5} the fast endpoint is answered at once and nothing is worked on that nginx has
 * given up on; with none of them, the responses are today's. {@code endpoint-limits} holds on any
 * pool, virtual threads included.
 */
abstract class OverloadScenarios {

  static final int WORKERS = 12;
  private static final Duration BUDGET = Duration.ofSeconds(2);
  private static final Duration STORM = Duration.ofSeconds(15);
  private static final String STAMP = "X-Request-Start";
  private static final String SLOW = "/api/slow";
  private static final String FAST = "/api/hello";
  private static final Map<String, String> PROTECTION =
      Map.of("shed-spent", "true", "shed-late", "true", "endpoint-share", "0.5");

  /** A container whose pool serves {@link #WORKERS} requests at once. */
  abstract ServletContainer newContainer();

  @Test
  void behindNginx_withProtection_theFastEndpointIsAnswered_andNothingIsWorkedOnThatNginxGaveUpOn() throws Exception {
    platformThreadsAndNginx();
    Run run = run(PROTECTION, 30, 4);
    System.out.println(run.summary("with shed-spent, shed-late, endpoint-share=0.5"));

    assertThat(run.count(FAST, 504)).as("the fast endpoint is never cut").isZero();
    assertThat(run.count(FAST, 200)).as("every fast request answered").isEqualTo(run.sent(FAST));
    assertThat(run.p99Millis(FAST)).as("the fast endpoint's p99 at nginx").isLessThanOrEqualTo(100);
    assertThat(run.count(SLOW, 200) + run.count(SLOW, 503) + run.count(SLOW, 504))
        .as("the slow endpoint: answered in time, refused at once, or cut").isEqualTo(run.sent(SLOW));
    assertThat(run.count(SLOW, 504)).as("slow requests cut by nginx").isLessThanOrEqualTo(run.sent(SLOW) / 20);
    assertThat(run.finishedLate).as("slow requests the app finished after nginx gave up, of " + run.finished)
        .isLessThanOrEqualTo(run.finished / 20);
    assertThat(run.count(SLOW, 503)).as("the slow endpoint is refused").isGreaterThan(run.sent(SLOW) / 4);
    assertThat(run.shed(SLOW)).as("every 503 counted with its reason").isEqualTo((double) run.count(SLOW, 503));
    assertThat(run.shedReasons(SLOW)).containsKey("share");
    assertThat(run.warnings).as("WARN lines for the incident").hasSizeLessThanOrEqualTo(40);
    assertThat(run.events("endpoint_refused")).isNotEmpty().allSatisfy(e ->
        assertThat(e.getFormattedMessage()).startsWith("GET /api/slow refused ("));
    EndpointReport slow = run.report(SLOW);
    assertThat(slow.shed()).isEqualTo(run.count(SLOW, 503));
    assertThat(run.reportText).contains(" shed unrun (503): ");
  }

  @Test
  void behindNginx_withNoneOfItsParameters_theResponsesAreTodays() throws Exception {
    platformThreadsAndNginx();
    Run run = run(Map.of(), 30, 4);
    System.out.println(run.summary("without overload parameters"));
    assertThat(run.count(FAST, 503) + run.count(SLOW, 503)).as("nothing refused").isZero();
    assertThat(run.shed(SLOW) + run.shed(FAST)).isZero();
    assertThat(run.count(SLOW, 504)).as("nginx cuts most of the slow endpoint").isGreaterThan(run.sent(SLOW) / 2);
    assertThat(run.count(FAST, 504)).as("and starves the fast one").isPositive();
  }

  @Test
  void behindNginx_withOnlyTheSlowClients_theProtectionRefusesNothingThatCouldHaveBeenAnsweredInTime() throws Exception {
    platformThreadsAndNginx();
    Run without = run(Map.of(), 30, 0);
    Run with = run(PROTECTION, 30, 0);
    System.out.println(without.summary("slow clients only, without overload parameters"));
    System.out.println(with.summary("slow clients only, with shed-spent, shed-late, endpoint-share=0.5"));
    assertThat(with.shedReasons(SLOW)).as("no other endpoint waits: its share is not enforced").doesNotContainKey("share");
    assertThat(with.count(SLOW, 200)).as("answered in time, as many as without, " + without.count(SLOW, 200))
        .isGreaterThanOrEqualTo(without.count(SLOW, 200));
    assertThat(with.finishedLate).as("work nobody waited for, of " + with.finished + "; without: " + without.finishedLate)
        .isLessThan(without.finishedLate / 2);
  }

  @Test
  void endpointLimits_holdOnAnyPool_virtualThreadsIncluded() throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (TimedApp app = TimedApp.start(newContainer(), registry, Map.of("endpoint-limits", "GET /api/slow=3"))) {
      ExecutorService clients = Executors.newFixedThreadPool(10);
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      try {
        for (int i = 0; i < 40; i++) {
          responses.add(CompletableFuture.supplyAsync(() -> app.http.get(SLOW + "?ms=300"), clients));
        }
        List<HttpResponse<String>> all = responses.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> refused = all.stream().filter(r -> r.statusCode() == 503).toList();
        assertThat(app.servlet.slowMostAtOnce.get()).as("most in flight at once").isBetween(1, 3);
        assertThat(all).extracting(HttpResponse::statusCode).containsOnly(200, 503);
        assertThat(refused).isNotEmpty().allSatisfy(r -> {
          assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
          assertThat(r.body()).isEqualTo("503 Service Unavailable: its endpoint has its limit of requests in flight;"
              + " retry after 1 second.\n");
        });
        await().atMost(10, SECONDS).until(() -> counted(registry, SLOW, "limit") == refused.size());
        assertThat(app.count(SLOW)).isEqualTo(all.size());
      } finally {
        clients.shutdown();
      }
    }
  }

  private static void platformThreadsAndNginx() {
    assumeThat(ServletContainer.virtualThreads()).as("under virtual threads there is no pool to fill").isFalse();
    Nginx.requireBinary();
  }

  /** One storm through nginx, and what every side saw of it. */
  private Run run(Map<String, String> overload, int slowClients, int fastClients) throws Exception {
    Map<String, String> params = new HashMap<>(overload);
    params.putAll(Map.of("budget", "2s", "request-start-header", STAMP, "upstream-timeouts", "nginx=2s",
        "report-interval", "10m", "app-packages", TestApp.class.getName()));
    MeterRegistry registry = new SimpleMeterRegistry();
    try (LogCapture log = LogCapture.of("dev.requesttiming");
        TimedApp app = TimedApp.start(newContainer(), registry, params);
        Nginx nginx = Nginx.start(app.port(), BUDGET, STAMP)) {
      ExecutorService clients = Executors.newFixedThreadPool(slowClients + fastClients);
      try {
        long storm = System.nanoTime() + Duration.ofSeconds(1).toNanos(); // the fast endpoint's traffic comes first
        long end = storm + STORM.toNanos();
        List<CompletableFuture<Integer>> sent = new ArrayList<>();
        for (int c = 0; c < fastClients; c++) {
          sent.add(CompletableFuture.supplyAsync(() -> paced(nginx, FAST, 100, System.nanoTime(), end), clients));
        }
        for (int c = 0; c < slowClients; c++) {
          sent.add(CompletableFuture.supplyAsync(() -> paced(nginx, SLOW + "?ms=1500", 500, storm, end), clients));
        }
        int total = sent.stream().mapToInt(CompletableFuture::join).sum();
        await().atMost(60, SECONDS).until(() -> app.count(SLOW) + app.count(FAST) == total);
      } finally {
        clients.shutdown();
      }
      String reportText = app.timing().reports().snapshot().toString();
      Map<String, Double> shed = Map.of(SLOW, counted(registry, SLOW, null), FAST, counted(registry, FAST, null));
      return new Run(nginx.accessLog(), shed, log.events(), app.timing().reports().snapshot().endpoints(), reportText,
          app.servlet.slowFinished.sum(), app.servlet.slowFinishedLate.sum());
    }
  }

  /** A client that calls {@code path} every {@code periodMillis} from {@code startNanos} until {@code endNanos}. */
  private static int paced(Nginx nginx, String path, long periodMillis, long startNanos, long endNanos) {
    Http http = new Http(nginx.port);
    LockSupport.parkNanos(startNanos - System.nanoTime());
    int n = 0;
    long next = startNanos;
    while (System.nanoTime() < endNanos) {
      http.get(path);
      n++;
      next = Math.max(next + periodMillis * 1_000_000, System.nanoTime());
      LockSupport.parkNanos(next - System.nanoTime());
    }
    return n;
  }

  /** Requests of {@code uri} counted shed for {@code reason}, or for any reason when it is null. */
  private static double counted(MeterRegistry registry, String uri, String reason) {
    Search search = registry.find("http.server.requests.budget.shed").tag("uri", uri);
    return (reason == null ? search : search.tag("reason", reason)).counters().stream().mapToDouble(Counter::count).sum();
  }

  /** What nginx, the registry, the log and the report saw of one storm. */
  private record Run(
      List<Nginx.Logged> logged, Map<String, Double> shedCounted, List<ILoggingEvent> log, List<EndpointReport> endpoints,
      String reportText, long finished, long finishedLate, List<ILoggingEvent> warnings) {

    Run(List<Nginx.Logged> logged, Map<String, Double> shedCounted, List<ILoggingEvent> log, List<EndpointReport> endpoints,
        String reportText, long finished, long finishedLate) {
      this(logged, shedCounted, log, endpoints, reportText, finished, finishedLate,
          log.stream().filter(e -> e.getLevel() == Level.WARN).toList());
    }

    long sent(String path) {
      return logged.stream().filter(l -> l.path().equals(path)).count();
    }

    long count(String path, int status) {
      return logged.stream().filter(l -> l.path().equals(path) && l.status() == status).count();
    }

    long p99Millis(String path) {
      List<Double> times = logged.stream().filter(l -> l.path().equals(path)).map(Nginx.Logged::requestSeconds).sorted().toList();
      return times.isEmpty() ? 0 : Math.round(times.get((int) Math.ceil(times.size() * 0.99) - 1) * 1000);
    }

    /** What {@code http.server.requests.budget.shed} counted for the endpoint, all reasons. */
    double shed(String uri) {
      return shedCounted.get(uri);
    }

    Map<String, Long> shedReasons(String uri) {
      return endpoints.stream().filter(e -> e.uri().equals(uri)).findFirst().map(EndpointReport::shedByReason).orElse(Map.of());
    }

    EndpointReport report(String uri) {
      return endpoints.stream().filter(e -> e.uri().equals(uri)).findFirst().orElseThrow();
    }

    List<ILoggingEvent> events(String event) {
      return log.stream().filter(e -> LogCapture.keyValues(e).contains("event=" + event)).toList();
    }

    String summary(String what) {
      return String.format(
          "%s: %s %d sent: %d answered 200, %d refused 503, %d cut 504 by nginx; %s %d sent: %d answered 200, %d cut 504,"
              + " p99 at nginx %dms; the app finished %d slow requests, %d of them after nginx gave up; shed %s; %d WARN lines%n%s",
          what, SLOW, sent(SLOW), count(SLOW, 200), count(SLOW, 503), count(SLOW, 504), FAST, sent(FAST), count(FAST, 200),
          count(FAST, 504), p99Millis(FAST), finished, finishedLate, shedReasons(SLOW), warnings.size(), reportText);
    }
  }
}
