package org.springframework.samples.clinic;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.LogCapture;
import dev.requesttiming.core.Report;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.servlet.RequestTimingFilter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * A user's app, tried as a user would: a clinic with Thymeleaf pages, a JSON API, JPA on H2,
 * Actuator and Prometheus, in a package that starts like Spring's own, with {@code
 * request-timing.budget=200ms}. Twenty clients load the owners page (a query per owner, as such
 * pages do) while a handler fails now and then; then the same failing requests are sent to the app
 * once more with Actuator's observation off and request-timing recording the timer, and the two
 * recorders' tags are compared.
 */
class ClinicUnderLoadIT {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static final int CLIENTS = 20;
  private static final Duration LOAD = Duration.ofSeconds(8);
  /** Requests that fail in the ways a Spring MVC app fails, to compare the recorders' tags. */
  private static final String[][] FAILING = {
    {"GET", "/oups"}, // uncaught: Boot's error page, 500
    {"GET", "/owners/99999"}, // an @ExceptionHandler's error view, 404
    {"GET", "/api/owners/99999"}, // uncaught in a @RestController
    {"GET", "/owners/1/pets/99999/visits/new"}, // ResponseStatusException, 404
    {"POST", "/owners/1/pets/1/visits/new?description="}, // ResponseStatusException, 400
    {"GET", "/no/such/page"}, // Boot's static resource handler, 404
    {"BREW", "/owners/1"} // no such method, 405
  };

  static LogCapture log;
  static Clinic withActuator;
  static final Map<String, AtomicLong> answered = new TreeMap<>();
  /** The tags Actuator gave each of the {@link #FAILING} requests, sent after the load. */
  static Map<String, String> actuatorTags;

  /** One run of the app, on a free port. */
  record Clinic(ConfigurableApplicationContext context, String base) implements AutoCloseable {

    static Clinic start(String... extraArgs) {
      List<String> args = new ArrayList<>(List.of(
          "--server.port=0",
          "--request-timing.budget=200ms",
          "--request-timing.report-interval=2s",
          "--server.tomcat.threads.max=64",
          "--spring.jpa.show-sql=false"));
      args.addAll(List.of(extraArgs));
      ConfigurableApplicationContext context =
          new SpringApplicationBuilder(ClinicApplication.class).run(args.toArray(new String[0]));
      return new Clinic(context, "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }

    HttpResponse<String> send(String method, String path) throws Exception {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base + path))
              .method(method, HttpRequest.BodyPublishers.noBody())
              .timeout(Duration.ofSeconds(30))
              .build();
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    String scrape() throws Exception {
      return send("GET", "/actuator/prometheus").body();
    }

    RequestTiming timing() {
      FilterRegistrationBean<?> registration = context.getBean("requestTimingFilter", FilterRegistrationBean.class);
      return ((RequestTimingFilter) registration.getFilter()).timing();
    }

    /** Every route template the app's handler mappings know (controllers, Actuator, Boot's error page). */
    Set<String> routes() {
      Set<String> routes = new TreeSet<>();
      context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()
          .forEach(m -> m.getHandlerMethods().keySet().forEach(info -> routes.addAll(info.getPatternValues())));
      return routes;
    }

    @Override
    public void close() {
      context.close();
    }
  }

  @BeforeAll
  static void runTheClinicUnderLoad() throws Exception {
    // Boot leaves logging to logback-test.xml, so that the start-up lines are captured too
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
    org.slf4j.bridge.SLF4JBridgeHandler.install(); // Tomcat logs through java.util.logging
    log = LogCapture.of("dev.requesttiming");
    withActuator = Clinic.start();
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS + 1);
    long end = System.nanoTime() + LOAD.toNanos();
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      running.add(clients.submit(() -> load(end, "GET", "/owners?lastName=", 0)));
    }
    running.add(clients.submit(() -> load(end, "GET", "/oups", 250)));
    for (Future<?> f : running) {
      f.get();
    }
    clients.shutdown();
    actuatorTags = failingSeries(withActuator);
  }

  private static Void load(long end, String method, String path, long pauseMillis) throws Exception {
    while (System.nanoTime() < end) {
      int status = withActuator.send(method, path).statusCode();
      synchronized (answered) {
        answered.computeIfAbsent(path + " " + status, k -> new AtomicLong()).incrementAndGet();
      }
      Thread.sleep(pauseMillis);
    }
    return null;
  }

  @AfterAll
  static void stop() {
    if (withActuator != null) {
      withActuator.close();
    }
    if (log != null) {
      log.close();
    }
    System.clearProperty("org.springframework.boot.logging.LoggingSystem");
  }

  /** A sample's labels (quoted values may hold braces, as route templates do) and its value. */
  private static final Pattern COUNT =
      Pattern.compile("(?m)^http_server_requests_seconds_count\\{((?:[^\"}]|\"(?:[^\"\\\\]|\\\\.)*\")*)} ([0-9.E+]+)$");

  private static long count(String scrape, String uri) {
    Matcher m = COUNT.matcher(scrape);
    long total = 0;
    while (m.find()) {
      if (m.group(1).contains("uri=\"" + uri + "\"")) {
        total += (long) Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  @Test
  void everyRequest_countedOnce_byActuatorAndInTheReport() throws Exception {
    long owners = answered.get("/owners?lastName= 200").get();
    long oups = answered.get("/oups 500").get() + 1; // and once among the failing requests
    assertThat(owners).as("the load ran").isGreaterThan(50);
    assertThat(answered).as("every answer was a 200 or the failing handler's 500").containsOnlyKeys("/owners?lastName= 200", "/oups 500");

    await().atMost(10, SECONDS).untilAsserted(() -> {
      String scrape = withActuator.scrape();
      assertThat(count(scrape, "/owners")).isEqualTo(owners);
      assertThat(count(scrape, "/oups")).isEqualTo(oups);
    });
    Map<String, Long> reported = new HashMap<>();
    for (EndpointReport e : withActuator.timing().reports().snapshot().endpoints()) {
      reported.put(e.method() + " " + e.uri(), e.count());
    }
    assertThat(reported).containsEntry("GET /owners", owners).containsEntry("GET /oups", oups);
  }

  @Test
  void everyEndpointName_inFlagsCountersAndReports_isARouteTemplate() throws Exception {
    Set<String> allowed = new TreeSet<>(withActuator.routes());
    allowed.addAll(Set.of("/**", "UNKNOWN", "NOT_FOUND", "OTHER", "REDIRECTION"));
    Set<String> named = new TreeSet<>();
    for (ILoggingEvent e : log.events()) {
      LogCapture.keyValues(e).stream().filter(kv -> kv.startsWith("uri=")).forEach(kv -> named.add(kv.substring(4)));
    }
    for (ILoggingEvent report : reports()) {
      Matcher row = Pattern.compile("(?m)^[A-Z]+ (\\S+) +\\d+ ").matcher(report.getFormattedMessage());
      while (row.find()) {
        named.add(row.group(1));
      }
    }
    Matcher series = Pattern.compile("(?m)^http_server_requests_[a-z_]+\\{[^}]*uri=\"([^\"]*)\"").matcher(withActuator.scrape());
    while (series.find()) {
      named.add(series.group(1));
    }
    assertThat(named).contains("/owners", "/oups");
    assertThat(named).as("names against the app's routes " + allowed).isSubsetOf(allowed);
    assertThat(log.events()).filteredOn(e -> e.getLoggerName().equals("dev.requesttiming.budget"))
        .as("the load was flagged").isNotEmpty();
  }

  @Test
  void slowRequests_areStuckInTheAppsController() {
    List<String> stuck = new ArrayList<>();
    for (ILoggingEvent report : reports()) {
      Matcher site = Pattern.compile("(?m)^ {4}stuck at (.+): \\d+ samples?").matcher(report.getFormattedMessage());
      while (site.find()) {
        stuck.add(site.group(1));
      }
    }
    assertThat(stuck).as("stuck sites of the reports").anyMatch(s -> s.startsWith("OwnerController.processFindForm(OwnerController.java:"));
    List<String> summaries = log.events().stream()
        .filter(e -> e.getFormattedMessage().contains("more budget flags in the last"))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(summaries).isNotEmpty().allMatch(m -> !m.contains("stuck at (other sites)"));
    assertThat(summaries).anyMatch(m -> m.contains("stuck at OwnerController."));
  }

  @Test
  void histogram_isCompact_withBucketsAtTheWarnLevelAndTwiceTheBudget() throws Exception {
    Map<String, Set<String>> buckets = new HashMap<>();
    Matcher bucket = Pattern.compile("(?m)^http_server_requests_seconds_bucket\\{(.*),le=\"([^\"]+)\"}").matcher(withActuator.scrape());
    while (bucket.find()) {
      buckets.computeIfAbsent(bucket.group(1), k -> new TreeSet<>()).add(bucket.group(2));
    }
    assertThat(buckets).isNotEmpty();
    buckets.forEach((series, les) -> assertThat(les).as(series).hasSizeLessThanOrEqualTo(24).contains("0.1", "0.4", "+Inf"));
  }

  @Test
  void theWorkerLimit_isThatOfTheTomcatBootStarted() throws Exception {
    Report.Workers workers = withActuator.timing().reports().snapshot().workers();
    assertThat(workers.limit()).isEqualTo(64);
    assertThat(workers.source()).startsWith("Tomcat's connector executor");
    assertThat(withActuator.scrape()).containsPattern("(?m)^http_server_requests_workers_limit(\\{[^}]*})? 64\\.0$");
  }

  @Test
  void noFalseWarning_andNoZeroSecondsInAnyLine() {
    assertThat(log.events())
        .filteredOn(e -> e.getLevel() == Level.WARN && !e.getLoggerName().equals("dev.requesttiming.budget"))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
    assertThat(log.messages()).noneMatch(m -> Pattern.compile("(?<![0-9.])0\\.0s").matcher(m).find());
    assertThat(log.messages()).anyMatch(m -> m.startsWith("request-timing started: budget=200ms"));
  }

  @Test
  void exceptionTags_areActuatorsOwn_whenRequestTimingRecordsTheTimer() throws Exception {
    Map<String, String> actuator = actuatorTags;
    Map<String, String> ours;
    List<String> warnings;
    int before = log.events().size();
    try (Clinic withOurTimer = Clinic.start(
        "--management.observations.enable.http.server.requests=false", "--request-timing.requests-timer=on")) {
      ours = failingSeries(withOurTimer);
      List<ILoggingEvent> since = log.events().subList(before, log.events().size());
      warnings = since.stream()
          .filter(e -> e.getLevel() == Level.WARN && e.getLoggerName().equals("dev.requesttiming.config"))
          .map(ILoggingEvent::getFormattedMessage).toList();
      assertThat(since).extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.startsWith("http.server.requests: recorded by request-timing"));
    }
    assertThat(actuator).as("Actuator's tags").containsValue("exception=RuntimeException,method=GET,outcome=SERVER_ERROR,status=500,uri=/oups");
    assertThat(ours).as("request-timing's tags for the same requests").isEqualTo(actuator);
    assertThat(warnings).as("observation off, timer on, as the README says: no warning").isEmpty();
  }

  /** Sends each failing request once; the tags of its series, by request. */
  private static Map<String, String> failingSeries(Clinic clinic) throws Exception {
    Map<String, String> byRequest = new TreeMap<>();
    for (String[] request : FAILING) {
      String before = clinic.scrape();
      int status = clinic.send(request[0], request[1]).statusCode();
      String what = request[0] + " " + request[1] + " answered " + status;
      await().atMost(5, SECONDS).untilAsserted(() -> assertThat(newSeries(before, clinic.scrape())).as(what).hasSize(1));
      byRequest.put(request[0] + " " + request[1], newSeries(before, clinic.scrape()).get(0));
    }
    return byRequest;
  }

  /** The series of http.server.requests whose count went up, as their sorted common tags. */
  private static List<String> newSeries(String before, String after) {
    Map<String, Double> old = counts(before);
    List<String> changed = new ArrayList<>();
    counts(after).forEach((tags, n) -> {
      if (n > old.getOrDefault(tags, 0.0) && !tags.contains("uri=/actuator/prometheus")) {
        changed.add(tags);
      }
    });
    return changed;
  }

  private static Map<String, Double> counts(String scrape) {
    Map<String, Double> counts = new HashMap<>();
    Matcher m = COUNT.matcher(scrape);
    while (m.find()) {
      Set<String> tags = new TreeSet<>();
      for (String pair : m.group(1).split(",(?=[a-z_]+=\")")) {
        String name = pair.substring(0, pair.indexOf('='));
        if (Set.of("exception", "method", "outcome", "status", "uri").contains(name)) {
          tags.add(name + "=" + pair.substring(pair.indexOf('=') + 2, pair.length() - 1));
        }
      }
      counts.merge(String.join(",", tags), Double.parseDouble(m.group(2)), Double::sum);
    }
    return counts;
  }

  private static List<ILoggingEvent> reports() {
    return log.events().stream().filter(e -> e.getLoggerName().equals("dev.requesttiming.report")).toList();
  }
}
