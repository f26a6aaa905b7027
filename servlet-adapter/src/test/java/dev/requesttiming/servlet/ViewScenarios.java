package dev.requesttiming.servlet;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link RequestTimingViewServlet} in a real container, mapped by the app at {@code /admin/timing/*}. */
abstract class ViewScenarios {

  abstract ServletContainer newContainer();

  @Test
  void thePage_itsScriptAndStyle_comeWithAStrictPolicy_andNothingElseIsServed() throws Exception {
    try (TimedApp app = TimedApp.start(newContainer(), new SimpleMeterRegistry(), Map.of("budget", "1s"))) {
      HttpResponse<String> page = app.http.get(TimedApp.VIEW + "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
          assertThat(csp).contains("default-src 'none'", "script-src 'self'").doesNotContain("unsafe-inline"));
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
      assertThat(page.body()).contains("data-snapshot=\"snapshot.json\"");

      HttpResponse<String> bare = app.http.get(TimedApp.VIEW);
      assertThat(bare.statusCode()).isEqualTo(302);
      assertThat(bare.headers().firstValue("Location")).hasValueSatisfying(l ->
          assertThat(bare.uri().resolve(l).getPath()).as("on this host").isEqualTo("/admin/timing/"));
      assertThat(app.http.get(TimedApp.VIEW + "/view.js").headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/javascript"));
      assertThat(app.http.get(TimedApp.VIEW + "/view.css").statusCode()).isEqualTo(200);
      assertThat(app.http.get(TimedApp.VIEW + "/WEB-INF/web.xml").statusCode()).isEqualTo(404);
      assertThat(app.http.get(TimedApp.VIEW + "/index.html.bak").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void theSnapshot_showsARequestWhileItRuns_thenInTheRecentRing_neverItsQuery() throws Exception {
    try (TimedApp app = TimedApp.start(newContainer(), new SimpleMeterRegistry(),
        Map.of("budget", "1s", "watchdog-interval", "50ms", "exclude", TimedApp.VIEW + "/**",
            "app-packages", TestApp.class.getName()))) {
      CompletableFuture<HttpResponse<String>> slow =
          CompletableFuture.supplyAsync(() -> app.http.get("/api/stuck?ms=1200&token=s3cr3t"));
      await().atMost(5, SECONDS).untilAsserted(() -> {
        String json = snapshot(app);
        // sampled at critical (stack-trace-at), where the app waits
        assertThat(json).contains("\"uri\":\"/api/stuck\"", "\"stuck_at\":\"TestApp.sleep(TestApp.java:");
      });
      assertThat(slow.get(10, SECONDS).statusCode()).isEqualTo(200);
      await().atMost(5, SECONDS).untilAsserted(() -> assertThat(snapshot(app))
          .contains("\"in_flight_count\":0", "\"recent\":[{\"id\":")
          .containsPattern("\"recent\":\\[\\{[^}]*\"uri\":\"/api/stuck\"[^}]*\"status\":200[^}]*\"level\":\"exceeded\""));
      assertThat(snapshot(app)).doesNotContain("s3cr3t", "token", TimedApp.VIEW);
    }
  }

  @Test
  void withoutTheFilter_theSnapshotSaysSo() throws Exception {
    try (TimedApp app = TimedApp.untimed(newContainer())) {
      assertThat(app.http.get(TimedApp.VIEW + "/snapshot.json").statusCode()).isEqualTo(503);
    }
  }

  private static String snapshot(TimedApp app) {
    HttpResponse<String> response = app.http.get(TimedApp.VIEW + "/snapshot.json");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    return response.body();
  }
}
