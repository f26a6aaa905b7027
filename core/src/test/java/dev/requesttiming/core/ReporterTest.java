package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReporterTest {

  private final MockClock clock = new MockClock();
  private final List<RequestTiming> opened = new ArrayList<>();

  private RequestTiming<TestRequest> timing(RequestTimingConfig.Builder config) {
    RequestTiming<TestRequest> timing =
        RequestTiming.create(
            new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock),
            config.watchdogInterval(Duration.ofMinutes(1)).build(),
            TestRequest.ADAPTER);
    opened.add(timing);
    return timing;
  }

  @AfterEach
  void closeAll() {
    opened.forEach(RequestTiming::close);
  }

  private void request(RequestTiming<TestRequest> timing, String method, String path, long nanos, int status) {
    RequestBudget r = timing.start(new TestRequest(method, path));
    clock.add(nanos, TimeUnit.NANOSECONDS);
    timing.finish(r, status, null);
  }

  /** report-sites: how many of an endpoint's stuck sites its line lists, most samples first. */
  @Test
  void reportSites_listsThatManyStuckSites() {
    for (int listed : new int[] {3, 5}) {
      RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO).reportSites(listed));
      request(timing, "GET", "/api/slow", 1_000_000, 200);
      var stuck = timing.engine().endpoints().all().get(0).stuck();
      for (int site = 1; site <= 6; site++) {
        for (int sample = 0; sample < 10 - site; sample++) {
          stuck.add("Slow.site" + site + "(Slow.java:" + site + ")");
        }
      }
      List<EndpointReport.Site> sites = timing.reporter().report().endpoints().get(0).stuckAt();
      assertThat(sites).as("report-sites=" + listed).hasSize(listed);
      assertThat(sites.get(0).site()).isEqualTo("Slow.site1(Slow.java:1)");
    }
  }

  private void assertAccurate(DoubleSupplier millis) {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO));
    int n = 50_000;
    long[] exact = new long[n];
    for (int i = 0; i < n; i++) {
      long nanos = Math.max(1_000, (long) (millis.getAsDouble() * 1e6));
      exact[i] = nanos;
      request(timing, "GET", "/api/x", nanos, 200);
    }
    Arrays.sort(exact);
    EndpointReport line = timing.reporter().report().endpoints().get(0);
    assertThat(line.count()).isEqualTo(n);
    assertWithinOnePercent(line.p50(), nearestRank(exact, 50));
    assertWithinOnePercent(line.p95(), nearestRank(exact, 95));
    assertWithinOnePercent(line.p99(), nearestRank(exact, 99));
    assertWithinOnePercent(line.max(), exact[n - 1]);
    assertWithinOnePercent(line.avg(), (long) Arrays.stream(exact).average().orElseThrow());
  }

  private static long nearestRank(long[] sorted, double percentile) {
    return sorted[(int) Math.ceil(percentile / 100 * sorted.length) - 1];
  }

  private static void assertWithinOnePercent(Duration reported, long exactNanos) {
    assertThat((double) reported.toNanos()).isCloseTo(exactNanos, org.assertj.core.data.Percentage.withPercentage(1));
  }

  @Test
  void percentiles_ofAUniformDistribution_withinOnePercent() {
    Random random = new Random(1);
    assertAccurate(() -> 5 + random.nextDouble() * 995);
  }

  @Test
  void percentiles_ofALogNormalDistribution_withinOnePercent() {
    Random random = new Random(2);
    assertAccurate(() -> Math.exp(Math.log(80) + 0.9 * random.nextGaussian()));
  }

  @Test
  void percentiles_ofABimodalDistributionWithA30sTail_withinOnePercent() {
    Random random = new Random(3);
    assertAccurate(
        () -> random.nextDouble() < 0.9 ? 20 + random.nextDouble() * 30 : 25_000 + random.nextDouble() * 15_000);
  }

  @Test
  void ranking_slowEndpointAboveAFastBusyOne_tiesByCount() {
    RequestTiming<TestRequest> timing =
        timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO).endpointBudget("/api/long", Duration.ofSeconds(120)));
    for (int i = 0; i < 1000; i++) {
      request(timing, "GET", "/api/fast", 5_000_000, 200);
    }
    for (int i = 0; i < 3; i++) {
      request(timing, "POST", "/api/chat", 27_000_000_000L, 200);
      request(timing, "GET", "/api/long", 27_000_000_000L, 200); // same p99, 4x the budget
    }
    for (int i = 0; i < 5; i++) {
      request(timing, "GET", "/api/tie", 5_000_000, 500);
    }
    Report report = timing.reporter().report();
    assertThat(report.endpoints())
        .extracting(EndpointReport::toString)
        .containsExactly("POST /api/chat", "GET /api/long", "GET /api/fast", "GET /api/tie");
    EndpointReport tie = report.endpoints().get(3);
    assertThat(tie.errorRatio()).isEqualTo(1.0);
    assertThat(report.totalRequests()).isEqualTo(1011);
  }

  @Test
  void flaggedRequestsThatNeverFinished_rankFirst() {
    RequestTiming<TestRequest> timing =
        timing(RequestTimingConfig.builder().budget(Duration.ofSeconds(10)).reportInterval(Duration.ZERO));
    timing.start(new TestRequest("POST", "/api/chat")); // killed by the worker supervisor: never finishes
    clock.add(Duration.ofSeconds(11));
    timing.watchdog().scan();
    for (int i = 0; i < 100; i++) {
      request(timing, "GET", "/api/busy", 900_000_000, 200);
    }
    Report report = timing.reporter().report();
    EndpointReport chat = report.endpoints().get(0);
    assertThat(chat.toString()).isEqualTo("POST /api/chat");
    assertThat(chat.count()).isZero();
    assertThat(chat.exceededFlags()).isEqualTo(1);
    assertThat(chat.budgetPressure()).isEqualTo(1.0);
    assertThat(report.endpoints().get(1).budgetPressure()).isCloseTo(0.09, org.assertj.core.data.Offset.offset(0.001));
  }

  @Test
  void top_limitsTheListedEndpoints_butTotalsCountAll() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO).reportTop(2));
    for (String path : new String[] {"/a", "/b", "/c", "/d"}) {
      request(timing, "GET", path, 1_000_000, 200);
    }
    Report report = timing.reporter().report();
    assertThat(report.endpoints()).hasSize(2);
    assertThat(report.endpointCount()).isEqualTo(4);
    assertThat(report.toString()).endsWith("(2 more endpoints with 2 requests not shown)");
  }

  @Test
  void intervals_eachRequestInExactlyOneReport_underConcurrentWriters() throws Exception {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO));
    int threads = 4;
    int perThread = 100_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      int id = t;
      pool.execute(
          () -> {
            for (int i = 0; i < perThread; i++) {
              timing.finish(timing.start(new TestRequest("GET", "/api/w" + (id % 2))), i % 10 == 0 ? 503 : 200, null);
            }
            done.countDown();
          });
    }
    long reported = 0;
    long errors = 0;
    AtomicBoolean finished = new AtomicBoolean();
    while (!finished.get()) {
      finished.set(done.await(1, TimeUnit.MILLISECONDS));
      Report report = timing.reporter().report();
      if (report != null) {
        reported += report.totalRequests();
        errors += report.endpoints().stream().mapToLong(e -> Math.round(e.errorRatio() * e.count())).sum();
      }
    }
    Report last = timing.reporter().report();
    if (last != null) {
      reported += last.totalRequests();
      errors += last.endpoints().stream().mapToLong(e -> Math.round(e.errorRatio() * e.count())).sum();
    }
    pool.shutdown();
    assertThat(reported).isEqualTo((long) threads * perThread);
    assertThat(errors).isEqualTo((long) threads * perThread / 10);
    assertThat(timing.reports().snapshot().totalRequests()).isEqualTo((long) threads * perThread);
  }

  @Test
  void report_loggedAtTheInterval_andOnceMoreAtClose() {
    try (LogCapture log = LogCapture.of("dev.requesttiming.report")) {
      RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ofMinutes(10)));
      request(timing, "GET", "/api/a", 2_000_000, 200);
      timing.reporter().run();
      assertThat(log.messages()).hasSize(1);
      assertThat(timing.reports().lastReport().totalRequests()).isEqualTo(1);

      timing.reporter().run(); // no traffic: nothing logged
      assertThat(log.messages()).hasSize(1);

      request(timing, "GET", "/api/b", 3_000_000, 200);
      timing.close();
      assertThat(log.messages()).hasSize(2);
      assertThat(log.messages().get(1)).contains("GET /api/b").doesNotContain("GET /api/a");
      assertThat(LogCapture.keyValues(log.events().get(1))).contains("event=slow_endpoint_report", "total_requests=1");
    }
  }

  @Test
  void reportIntervalZero_logsNothing_evenAtClose() {
    try (LogCapture log = LogCapture.of("dev.requesttiming.report")) {
      RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO));
      request(timing, "GET", "/api/a", 2_000_000, 200);
      timing.close();
      assertThat(log.events()).isEmpty();
      assertThat(timing.reports().lastReport()).isNull();
    }
  }

  @Test
  void jsonFormat_logsOneJsonObject() {
    try (LogCapture log = LogCapture.of("dev.requesttiming.report")) {
      RequestTiming<TestRequest> timing =
          timing(RequestTimingConfig.builder().reportInterval(Duration.ofMinutes(10)).reportFormat(RequestTimingConfig.ReportFormat.JSON));
      request(timing, "GET", "/api/a", 2_000_000, 200);
      timing.reporter().run();
      assertThat(log.messages()).singleElement().asString().startsWith("{\"interval_start\":").endsWith("]}");
    }
  }

  @Test
  void snapshot_isCumulative_andLeavesTheIntervalAlone() {
    RequestTiming<TestRequest> timing = timing(RequestTimingConfig.builder().reportInterval(Duration.ZERO));
    request(timing, "GET", "/api/a", 2_000_000, 200);
    assertThat(timing.reports().snapshot().totalRequests()).isEqualTo(1);
    timing.reporter().report();
    request(timing, "GET", "/api/a", 2_000_000, 200);
    assertThat(timing.reports().snapshot().totalRequests()).isEqualTo(2);
    assertThat(timing.reporter().report().totalRequests()).isEqualTo(1);
  }
}
