package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Requests no well-behaved client sends, over a raw socket: each answer must be the one the same app
 * gives without the filter, every log line stays one line, and tags stay bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileInputScenarios {

  private SimpleMeterRegistry registry;
  private TimedApp timed;
  private TimedApp untimed;
  private LogCapture log;

  abstract ServletContainer newContainer();

  @BeforeAll
  void start() throws Exception {
    registry = new SimpleMeterRegistry();
    log = LogCapture.of("dev.requesttiming");
    timed = TimedApp.start(newContainer(), registry, Map.of("budget", "1s", "report-interval", "1s"));
    untimed = TimedApp.untimed(newContainer());
  }

  @AfterAll
  void stop() throws Exception {
    timed.close();
    untimed.close();
    log.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Map<String, byte[]> hostilePaths() {
    Map<String, byte[]> paths = new LinkedHashMap<>();
    paths.put("encoded CR LF", bytes("/api/hello/a%0d%0aSet-Cookie:%20x=1"));
    paths.put("encoded NUL", bytes("/api/hello/a%00b"));
    paths.put("ANSI escapes", bytes("/api/hello/%1b[31mred%1b[0m"));
    paths.put("invalid percent-encoding", bytes("/api/hello/%zz%"));
    paths.put("non-UTF-8 bytes", new byte[] {'/', 'a', 'p', 'i', '/', 'h', 'e', 'l', 'l', 'o', '/', (byte) 0xff, (byte) 0xfe});
    paths.put("dot segments", bytes("/api/../api/./hello/../../etc/passwd"));
    paths.put("8 KB path", bytes("/api/hello/" + "x".repeat(8 * 1024)));
    paths.put("unicode", "/api/hello/caf\u00e9/\u6f22\u5b57/\ud83d\ude00".getBytes(StandardCharsets.UTF_8));
    paths.put("query with controls", bytes("/api/hello?q=%0d%0aevil"));
    paths.put("many segments", bytes("/api/hello" + "/1".repeat(500)));
    return paths;
  }

  @Test
  void hostilePaths_answeredAsWithoutTheFilter_logsOneLineEach_tagsBounded() {
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : hostilePaths().entrySet()) {
      int withFilter = timed.http.raw(Http.rawRequest("GET", e.getValue()));
      int without = untimed.http.raw(Http.rawRequest("GET", e.getValue()));
      if (withFilter != without) {
        differences.add(e.getKey() + ": " + withFilter + " with the filter, " + without + " without");
      }
    }
    assertThat(differences).isEmpty();
    for (Meter meter : registry.getMeters()) {
      String uri = meter.getId().getTag("uri");
      if (uri != null) {
        assertThat(uri).hasSizeLessThanOrEqualTo(123).doesNotContain("\r", "\n", "\u0000", "\u001b");
      }
    }
    for (ILoggingEvent event : log.events()) {
      if (!event.getLoggerName().equals("dev.requesttiming.report")) {
        assertThat(event.getFormattedMessage()).doesNotContain("\n", "\r");
      }
    }
  }

  @Test
  void oddMethods_answeredAsWithoutTheFilter_andTaggedBounded() {
    for (String method : List.of("FOO", "PROPFIND", "get", "HEAD", "OPTIONS", "TRACE", "DELETE")) {
      byte[] request = Http.rawRequest(method, bytes("/api/hello/methods"));
      assertThat(timed.http.raw(request)).as(method).isEqualTo(untimed.http.raw(request));
    }
    await().atMost(5, SECONDS).untilAsserted(() -> {
      assertThat(registry.find("http.server.requests").tag("uri", "/api/hello/methods").timers())
          .extracting(t -> t.getId().getTag("method"))
          .contains("HEAD", "OPTIONS", "DELETE")
          .doesNotContain("FOO", "PROPFIND", "get");
      // an odd method on a path without a template is UNKNOWN in both tags, as Spring Boot tags it
      assertThat(registry.find("http.server.requests").tag("uri", "UNKNOWN").timers())
          .extracting(t -> t.getId().getTag("method"))
          .isNotEmpty()
          .containsOnly("UNKNOWN");
    });
  }

  @Test
  void secretsInQueryHeadersAndCookies_appearNowhere() throws Exception {
    String secret = "s3cr3t-T0KEN-4711";
    byte[] request =
        Http.rawRequest(
            "GET",
            bytes("/api/stuck?ms=1300&token=" + secret),
            "Authorization: Bearer " + secret,
            "Cookie: session=" + secret,
            "X-Api-Key: " + secret);
    assertThat(timed.http.raw(request)).isEqualTo(200);

    await().atMost(10, SECONDS).until(() -> log.messages().stream().anyMatch(m -> m.contains("GET /api/stuck") && m.contains("requests on")));
    StringBuilder everything = new StringBuilder();
    for (ILoggingEvent event : log.events()) {
      everything.append(event.getFormattedMessage()).append(LogCapture.keyValues(event));
      if (event.getThrowableProxy() != null) {
        everything.append(event.getThrowableProxy().getMessage());
      }
    }
    assertThat(everything.toString()).contains("GET /api/stuck still running").doesNotContain(secret);
    ByteArrayOutputStream metrics = new ByteArrayOutputStream();
    for (Meter meter : registry.getMeters()) {
      metrics.writeBytes(meter.getId().toString().getBytes(StandardCharsets.UTF_8));
    }
    assertThat(metrics.toString(StandardCharsets.UTF_8)).contains("/api/stuck").doesNotContain(secret);
  }

  @Test
  void clientGoneMidRequest_recordedAndFlagged_withoutNoise() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", timed.port())) {
      socket.getOutputStream().write(Http.rawRequest("GET", bytes("/api/sleep/abandoned?ms=1500")));
      socket.getOutputStream().flush();
      Thread.sleep(200);
    } // the client hangs up while the app still works
    await().atMost(10, SECONDS).until(() -> timed.count("/api/sleep/abandoned") == 1);
    Timer timer = timed.requests("/api/sleep/abandoned").timer();
    assertThat(timer.totalTime(SECONDS)).isGreaterThanOrEqualTo(1.5);
    await().atMost(5, SECONDS).until(() ->
        registry.get("http.server.requests.budget.flagged").tag("uri", "/api/sleep/abandoned").tag("level", "exceeded").counter().count() == 1);
    assertThat(log.events()).noneMatch(e -> e.getLoggerName().equals("dev.requesttiming"));
  }
}
