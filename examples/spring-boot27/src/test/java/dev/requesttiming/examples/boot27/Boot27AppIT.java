package dev.requesttiming.examples.boot27;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * request-timing in a Spring Boot 2.7 app on Java 11 (in CI; on the build's JDK without {@code
 * -Djava11.jvm}): Servlet 4.0, Boot 2.7's Micrometer (1.9) and
 * Prometheus registry, SLF4J 1.7 with Logback 1.2. Counts, route templates from Spring MVC, flags
 * while requests run, reports; the timer is Boot's own (requests-timer=auto), and the key-value
 * pairs of the log lines are on the MDC, which is where Logback 1.2 has them.
 */
class Boot27AppIT {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  static ConfigurableApplicationContext app;
  static String base;
  static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();

  @BeforeAll
  static void start() {
    String java = System.getProperty("requesttiming.it.java");
    if (java != null) { // set with -Djava11.jvm: the app must really run on that Java
      assertThat(Runtime.version().feature()).isEqualTo(Integer.parseInt(java));
    }
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none"); // the appender sees the start
    Logger logger = (Logger) LoggerFactory.getLogger("dev.requesttiming");
    LOG.start();
    logger.addAppender(LOG);
    app = new SpringApplicationBuilder(Boot27Application.class)
        .run("--server.port=0", "--request-timing.budget=1s", "--request-timing.report-interval=2s");
    base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    ((Logger) LoggerFactory.getLogger("dev.requesttiming")).detachAppender(LOG);
    System.clearProperty("org.springframework.boot.logging.LoggingSystem");
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<ILoggingEvent> events(String logger) {
    synchronized (LOG) {
      return new ArrayList<>(LOG.list).stream().filter(e -> e.getLoggerName().equals(logger)).collect(Collectors.toList());
    }
  }

  @Test
  void everyRequest_countedOnceUnderItsRoute_byBootsTimer_withOurBudgetAndReport() throws Exception {
    for (int i = 0; i < 25; i++) {
      assertThat(get("/api/users/user-" + i).statusCode()).isEqualTo(200);
    }
    await().atMost(5, SECONDS).untilAsserted(() -> assertThat(get("/actuator/prometheus").body())
        .containsPattern("(?m)^http_server_requests_seconds_count\\{[^}]*uri=\"/api/users/\\{id}\",?} 25\\.0$")
        .containsPattern("(?m)^http_server_requests_budget_seconds\\{method=\"GET\",uri=\"/api/users/\\{id}\",?} 1\\.0$"));
    assertThat(events("dev.requesttiming.config")).extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.startsWith("Spring Boot 2's WebMvcMetricsFilter records http.server.requests in this app already"));
    await().atMost(10, SECONDS).until(() -> events("dev.requesttiming.report").stream()
        .anyMatch(e -> e.getFormattedMessage().contains("GET /api/users/{id}")));
  }

  @Test
  void withBootsTimerOff_ourTimerRecords_intoBootsPrometheusRegistry_andSaysWhyNotDirectly() throws Exception {
    try (ConfigurableApplicationContext ours = new SpringApplicationBuilder(Boot27Application.class).run("--server.port=0",
        "--request-timing.requests-timer=on", "--management.metrics.web.server.request.autotime.enabled=false")) {
      String url = "http://127.0.0.1:" + ours.getEnvironment().getProperty("local.server.port");
      for (int i = 0; i < 7; i++) {
        CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/api/users/u" + i)).build(), HttpResponse.BodyHandlers.discarding());
      }
      String scrape = CLIENT.send(HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scrape)
          .containsPattern("(?m)^http_server_requests_seconds_count\\{exception=\"none\",method=\"GET\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api/users/\\{id}\",?} 7\\.0$")
          .as("our compact histogram, with the 2s budget as a boundary")
          .containsPattern("(?m)^http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/users/\\{id}\",le=\"2\\.0\",?} 7\\.0$");
      assertThat(events("dev.requesttiming.config")).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.startsWith("http.server.requests: not published to Prometheus directly: this PrometheusMeterRegistry"
              + " is the one of Micrometer before 1.13"));
    }
  }

  @Test
  void aSlowRequest_isFlaggedWhileItRuns_withItsPairsOnTheMdc() throws Exception {
    assertThat(get("/api/slow?ms=1300").statusCode()).isEqualTo(200);
    long answered = System.currentTimeMillis();
    await().atMost(5, SECONDS).until(() -> events("dev.requesttiming.budget").stream()
        .anyMatch(e -> e.getFormattedMessage().startsWith("GET /api/slow still running after")));
    ILoggingEvent critical = events("dev.requesttiming.budget").stream()
        .filter(e -> e.getFormattedMessage().contains("(critical)")).findFirst().orElseThrow();
    assertThat(critical.getLevel()).isEqualTo(Level.WARN);
    assertThat(critical.getTimeStamp()).as("while it ran").isLessThan(answered);
    assertThat(critical.getMDCPropertyMap()).containsEntry("event", "budget_flag").containsEntry("uri", "/api/slow")
        .containsEntry("level", "critical");
    assertThat(critical.getThrowableProxy()).as("its stack").isNotNull();
  }
}
