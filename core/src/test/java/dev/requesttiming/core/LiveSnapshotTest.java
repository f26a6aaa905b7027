package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The live view's JSON on a clock the test drives: requests in flight with their age against their
 * budget, level and stuck site; the recent ring; the workers' fill; and the line that says what
 * {@code close} cut off.
 */
class LiveSnapshotTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final MockClock clock = new MockClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  private final LogCapture log = LogCapture.of("dev.requesttiming.budget");
  private final List<Thread> workers = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private RequestTiming<TestRequest> timing;

  LiveSnapshotTest() {
    clock.add(Duration.ofMillis(1_733_212_345_000L));
  }

  private RequestTiming<TestRequest> timing(RequestTimingConfig.Builder config) {
    timing = RequestTiming.create(
        registry,
        config.budget(Duration.ofSeconds(10)).watchdogInterval(Duration.ofMinutes(1)).reportInterval(Duration.ofMinutes(10)).build(),
        TestRequest.ADAPTER);
    return timing;
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    for (Thread t : workers) {
      t.join(5_000);
    }
    if (timing != null) {
      timing.close();
    }
    log.close();
  }

  /** Starts a request on a thread of its own, which then waits until the test ends, as a stuck request does. */
  private RequestBudget stuck(TestRequest request, String traceId) throws InterruptedException {
    AtomicReference<RequestBudget> started = new AtomicReference<>();
    CountDownLatch running = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      MDC.put("traceId", traceId);
      started.set(timing.start(request));
      MDC.clear();
      running.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "worker-" + workers.size());
    workers.add(worker);
    worker.start();
    running.await(5, TimeUnit.SECONDS);
    return started.get();
  }

  private JsonNode snapshot(int running) throws Exception {
    return JSON.readTree(timing.reports().liveJson(running));
  }

  @Test
  void runningRequests_oldestFirst_withTheirAgeAgainstTheirBudget_levelStuckSiteAndTrace() throws Exception {
    timing(RequestTimingConfig.builder().set("endpoint-budgets", "POST /api/chat=20s"));
    stuck(new TestRequest("POST", "/api/chat").route("/api/chat"), "trace-old");
    clock.add(Duration.ofSeconds(9));
    stuck(new TestRequest("GET", "/api/users/42"), "trace-new");
    clock.add(Duration.ofSeconds(1));
    timing.watchdog().scan(); // 10s of 20s and 1s of 10s: none past critical, no stack taken yet
    clock.add(Duration.ofSeconds(7)); // 17s of 20s and 8s of 10s: both critical, their stacks sampled
    timing.watchdog().scan();

    JsonNode live = snapshot(50);
    assertThat(live.get("schema").asText()).isEqualTo("request-timing.live/1");
    assertThat(live.get("in_flight_count").asInt()).isEqualTo(2);
    JsonNode old = live.get("in_flight").get(0);
    assertThat(old.get("method").asText() + " " + old.get("uri").asText()).isEqualTo("POST /api/chat");
    assertThat(old.get("age_ms").asLong()).isEqualTo(17_000);
    assertThat(old.get("budget_ms").asLong()).isEqualTo(20_000);
    assertThat(old.get("share").asDouble()).isEqualTo(0.85);
    assertThat(old.get("level").asText()).isEqualTo("critical");
    assertThat(old.get("thread").asText()).isEqualTo("worker-0");
    assertThat(old.get("trace_id").asText()).isEqualTo("trace-old");
    assertThat(old.get("stuck_at").asText()).startsWith("LiveSnapshotTest.lambda$stuck$"); // the first frame of the app; it waits in a latch
    JsonNode young = live.get("in_flight").get(1);
    assertThat(young.get("uri").asText()).as("its endpoint's name").isEqualTo("/api/users/{id}");
    assertThat(young.get("level").asText()).isEqualTo("critical");

    assertThat(snapshot(1).get("in_flight")).as("the oldest one").hasSize(1)
        .first().satisfies(r -> assertThat(r.get("uri").asText()).isEqualTo("/api/chat"));
    assertThat(live.get("since_start").get("still_running_count").asInt()).isEqualTo(2);
  }

  @Test
  void aSlowRequestThatFinished_isInTheRecentRing_andAFastOneIsNot() throws Exception {
    timing(RequestTimingConfig.builder().set("recent-requests", "2"));
    for (int i = 0; i < 3; i++) {
      RequestBudget slow = timing.start(new TestRequest("GET", "/api/slow/" + i).route("/api/slow/{n}"));
      clock.add(Duration.ofMillis(6_000 + i * 1_000));
      timing.finish(slow, 200 + i, null);
    }
    RequestBudget fast = timing.start(new TestRequest("GET", "/api/fast"));
    clock.add(Duration.ofMillis(10));
    timing.finish(fast, 200, null);

    JsonNode recent = snapshot(50).get("recent");
    assertThat(recent).as("the ring keeps the last two").hasSize(2);
    assertThat(recent.get(0).get("status").asInt()).isEqualTo(202);
    assertThat(recent.get(0).get("duration_ms").asLong()).isEqualTo(8_000);
    assertThat(recent.get(0).get("level").asText()).isEqualTo("critical");
    assertThat(recent.get(1).get("status").asInt()).isEqualTo(201);
    assertThat(recent.get(1).get("level").asText()).isEqualTo("warn");
    assertThat(recent.get(0).get("uri").asText()).isEqualTo("/api/slow/{n}");
  }

  @Test
  void theWorkersFill_isKeptPerSlot_forTheCharts() throws Exception {
    timing(RequestTimingConfig.builder().set("worker-limit", "4"));
    stuck(new TestRequest("GET", "/api/a"), "t");
    stuck(new TestRequest("GET", "/api/b"), "t");
    timing.watchdog().scan();
    clock.add(Duration.ofSeconds(5));
    release.countDown();
    timing.watchdog().scan();

    JsonNode workers = snapshot(50).get("workers");
    assertThat(workers.get("limit").asInt()).isEqualTo(4);
    assertThat(workers.get("source").asText()).isEqualTo("worker-limit");
    assertThat(workers.get("history")).hasSizeGreaterThanOrEqualTo(1);
    assertThat(workers.get("history").get(0).get("busy").asInt()).isEqualTo(2);
    assertThat(workers.get("history").get(0).get("queue_ms").isNull()).as("no proxy stamps: not known").isTrue();
  }

  @Test
  void close_listsTheRequestsItCutOff_inOneWarning() throws Exception {
    timing(RequestTimingConfig.builder());
    stuck(new TestRequest("GET", "/api/chat"), "t");
    clock.add(Duration.ofSeconds(12));
    timing.close();

    List<ILoggingEvent> cut = log.events().stream()
        .filter(e -> LogCapture.keyValues(e).contains("event=cut_off_at_close")).toList();
    assertThat(cut).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage())
          .startsWith("1 request still running when request-timing stopped")
          .contains("\n    GET /api/chat for 12.0s (120% of its 10s budget)");
    });
  }

  @Test
  void numbers_areShortAndExact() {
    assertThat(dev.requesttiming.core.internal.util.Json.number(0.7, 3)).isEqualTo("0.7");
    assertThat(dev.requesttiming.core.internal.util.Json.number(12, 3)).isEqualTo("12");
    assertThat(dev.requesttiming.core.internal.util.Json.number(0.0125, 4)).isEqualTo("0.0125");
    assertThat(dev.requesttiming.core.internal.util.Json.number(1.0005, 3)).isEqualTo("1.001");
    assertThat(dev.requesttiming.core.internal.util.Json.number(-2.06, 1)).isEqualTo("-2.1");
    assertThat(dev.requesttiming.core.internal.util.Json.number(0.04, 1)).isEqualTo("0");
    assertThat(dev.requesttiming.core.internal.util.Json.number(-0.04, 1)).isEqualTo("0");
    assertThat(dev.requesttiming.core.internal.util.Json.number(Double.NaN, 3)).as("JSON has no NaN").isEqualTo("null");
    assertThat(dev.requesttiming.core.internal.util.Json.number(3.0e14, 3)).isEqualTo("300000000000000");
  }

  @Test
  void theView_isOnePageWithItsOwnScriptAndStyle_servedWithAStrictPolicy() {
    LiveView.Asset page = LiveView.asset("index.html", "snap\"shot.json", "");
    String html = new String(page.content(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(html).contains("data-snapshot=\"snap&quot;shot.json\"", "src=\"view.js\"", "href=\"view.css\"")
        .doesNotContain("%SNAPSHOT%", "http://", "https://", "<script>", "style=\"", "onclick", "onload");
    assertThat(LiveView.asset("view.js", "s", "").contentType()).startsWith("text/javascript");
    assertThat(new String(LiveView.asset("view.js", "s", "").content(), java.nio.charset.StandardCharsets.UTF_8))
        .as("text from requests is never parsed as HTML").doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(");
    assertThat(LiveView.asset("../secret", "s", "")).isNull();
    assertThat(LiveView.HEADERS).containsEntry("X-Content-Type-Options", "nosniff").containsEntry("Cache-Control", "no-store");
    assertThat(LiveView.HEADERS.get("Content-Security-Policy")).contains("default-src 'none'", "script-src 'self'")
        .doesNotContain("unsafe-inline", "unsafe-eval");
  }
}
