package org.springframework.samples.vetclinic;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The clinic WAR in a standalone Tomcat 10.1, set up as the README's WAR guide says: web.xml alone,
 * the jars in WEB-INF/lib, no {@code app-packages}. Deployed twice: as {@code /clinic} with {@code
 * registry=prometheus}, and as {@code /plain} without it. Then redeployed three times the way an
 * operator does, by dropping a new WAR, which Tomcat's low-priority utility thread picks up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneTomcatIT {

  private static final String SEARCH = "/clinic/owners/search?lastName=Da";
  private static final int CLIENTS = 8;
  private static final int SEARCHES_EACH = 5;
  private static final int FAILURES = 3;

  private StandaloneTomcat tomcat;
  private Server reportsDatabase;
  private Connection keepsTheReportsDatabase;
  private HttpServer insuranceService;

  /** The reporting database over TCP, whose monthly report takes 300 ms, and an insurance service that takes as long. */
  private void startTheClinicsServices() throws Exception {
    reportsDatabase = Server.createTcpServer("-tcpPort", Integer.toString(freePort()), "-ifNotExists").start();
    // no ';' options: the URL goes through catalina.sh's shell; the open connection keeps the database
    String url = "jdbc:h2:tcp://127.0.0.1:" + reportsDatabase.getPort() + "/mem:reports";
    keepsTheReportsDatabase = DriverManager.getConnection(url);
    try (Statement alias = keepsTheReportsDatabase.createStatement()) {
      alias.execute("CREATE ALIAS PAUSE_NANOS FOR 'java.util.concurrent.locks.LockSupport.parkNanos'");
    }
    insuranceService = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    insuranceService.setExecutor(Executors.newFixedThreadPool(8));
    insuranceService.createContext("/coverage/", exchange -> {
      LockSupport.parkNanos(300_000_000L);
      byte[] body = "covered".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    insuranceService.start();
    System.setProperty("test.reports.url", url);
    System.setProperty("test.insurance.url", "http://127.0.0.1:" + insuranceService.getAddress().getPort());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @BeforeAll
  void deployAndStart() throws Exception {
    startTheClinicsServices();
    tomcat = new StandaloneTomcat(Path.of(System.getProperty("tomcat.home")));
    Path war = Path.of(System.getProperty("clinic.war"));
    tomcat.deploy(war, "clinic", webXml -> webXml);
    tomcat.deploy(war, "plain", webXml -> {
      String without = webXml.replaceAll("(?s)\\s*<init-param>\\s*<!--[^>]*-->\\s*<param-name>registry</param-name>.*?</init-param>", "");
      if (without.equals(webXml)) {
        throw new IllegalStateException("the clinic's web.xml has no registry init-param to take out");
      }
      return without;
    });
    tomcat.start("-Dclinic.reports.url=" + System.getProperty("test.reports.url"),
        "-Dclinic.insurance.url=" + System.getProperty("test.insurance.url"));
    await().atMost(180, SECONDS).pollInterval(1, SECONDS).ignoreExceptions().until(() ->
        tomcat.get("/clinic/owners").statusCode() == 200 && tomcat.get("/plain/owners").statusCode() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.close();
    }
    if (insuranceService != null) {
      insuranceService.stop(0);
    }
    if (keepsTheReportsDatabase != null) {
      keepsTheReportsDatabase.close();
    }
    if (reportsDatabase != null) {
      reportsDatabase.stop();
    }
  }

  @Test
  @Order(1)
  void theScrapeAtWebXmlsPath_hasOurSeries_theErrorViewsException_andTheJvms() throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < CLIENTS * SEARCHES_EACH; i++) {
        answers.add(clients.submit(() -> tomcat.get(SEARCH).statusCode()));
      }
      for (Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(200);
      }
    } finally {
      clients.shutdown();
    }
    ExecutorService remote = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<Integer>> answers = new ArrayList<>();
      for (int i = 0; i < CLIENTS * 2; i++) {
        answers.add(remote.submit(() -> tomcat.get("/clinic/reports/visits").statusCode()));
        answers.add(remote.submit(() -> tomcat.get("/clinic/owners/1/insurance").statusCode()));
      }
      for (Future<Integer> answer : answers) {
        assertThat(answer.get()).isEqualTo(200);
      }
    } finally {
      remote.shutdown();
    }
    for (int i = 0; i < FAILURES; i++) {
      assertThat(tomcat.get("/clinic/oups").body()).contains("Something happened...", "Expected: controller used to showcase");
    }

    String scrape = tomcat.get("/clinic/metrics").body();
    assertThat(scrape)
        .containsPattern("(?m)^http_server_requests_seconds_count\\{exception=\"none\",method=\"GET\",outcome=\"SUCCESS\","
            + "status=\"200\",uri=\"/owners/search\"} " + CLIENTS * SEARCHES_EACH + "(\\.0)?$")
        .as("the error view's exception, though Spring MVC clears the error attributes after rendering it")
        .containsPattern("(?m)^http_server_requests_seconds_count\\{exception=\"IllegalStateException\",method=\"GET\","
            + "outcome=\"SUCCESS\",status=\"200\",uri=\"/oups\"} " + FAILURES + "(\\.0)?$")
        .contains("jvm_memory_used_bytes{", "jvm_gc_pause_seconds", "process_uptime_seconds")
        .doesNotContain("uri=\"/metrics\"");
    assertThat(tomcat.get("/plain/metrics").body()).as("no registry in that app: the scrape is empty").doesNotContain("http_server_requests");
  }

  @Test
  @Order(2)
  void theLog_namesTheAppInStuckSites_warnsOnceWhereMetricsGoNowhere_andGuessesNoProxy() {
    // the searches' sites come in one report, the remote calls' often in the next: wait for the last of them
    // (a report's line starts with "    stuck at "; a flag's line says "stuck at" too, and often comes first)
    await().atMost(60, SECONDS).pollInterval(1, SECONDS).until(() -> tomcat.console().contains("\n    stuck at ")
        && tomcat.console().contains("\n    stuck at ReportsRepository.visitsPerMonth")
        && tomcat.console().contains("\n    stuck at InsuranceClient.coverage"));
    String console = tomcat.console();
    System.out.println(excerpt(console));

    assertThat(lines(console, "app-packages: org.springframework.samples.vetclinic (the packages of /WEB-INF/classes"))
        .as("found in each app, though the package starts like Spring's own").hasSize(2);
    List<String> stuck = lines(console, "    stuck at ");
    assertThat(stuck).as("the searches wait in the app's repository, for the database it embeds")
        .anyMatch(s -> s.matches("    stuck at OwnerRepository\\.findByLastName\\(OwnerRepository\\.java:\\d+\\)"
            + " in the embedded database \\(H2\\) running the query: .*"));
    assertThat(stuck).noneMatch(s -> s.contains("_jsp") || s.contains("_tag") || s.contains("Jasper"));
    assertThat(stuck).as("a query running in the reporting database, over TCP")
        .anyMatch(s -> s.matches("    stuck at ReportsRepository\\.visitsPerMonth\\(ReportsRepository\\.java:\\d+\\) waiting for the database: .*"));
    assertThat(stuck).as("calls queued for the insurance client's one connection")
        .anyMatch(s -> s.matches("    stuck at InsuranceClient\\.coverage\\(InsuranceClient\\.java:\\d+\\)"
            + " waiting for an HTTP connection from Apache HttpClient's pool: .*"));

    assertThat(lines(console, "go nowhere")).as("only /plain has no registry").singleElement().asString()
        .contains("WARN", "registry=prometheus", "PrometheusMetricsServlet");

    List<String> finished = lines(console, "finished in ");
    assertThat(finished).as("searches of 300 ms exceed their 200 ms budget").isNotEmpty();
    assertThat(console).as("no proxy is known: none is said to have given up").doesNotContain("given up", "gave up");
  }

  @Test
  @Order(3)
  void threeRedeploysByTomcatsUtilityThread_leaveOurThreadsAtNormalPriority_andNothingOfOursLeaked() throws Exception {
    for (int redeploy = 1; redeploy <= 3; redeploy++) {
      int deployedBefore = lines(tomcat.console(), "Deployment of web application archive").size();
      tomcat.touch("clinic");
      await().atMost(120, SECONDS).pollInterval(500, java.util.concurrent.TimeUnit.MILLISECONDS).until(() ->
          lines(tomcat.console(), "Deployment of web application archive").size() > deployedBefore);
      await().atMost(60, SECONDS).ignoreExceptions().until(() -> tomcat.get("/clinic/owners").statusCode() == 200);
    }

    List<String> watchdogs = lines(tomcat.threadDump(), "\"request-timing-watchdog\"");
    System.out.println(String.join("\n", watchdogs));
    assertThat(watchdogs).as("one per running app: none left over from the three apps undeployed").hasSize(2);
    assertThat(watchdogs).allSatisfy(t -> assertThat(t).contains(" daemon ", " prio=5 "));

    String leaks = tomcat.getAsAdmin("/manager/text/findleaks?statusLine=true").body();
    System.out.println("findleaks: " + leaks.strip());
    assertThat(leaks).startsWith("OK").doesNotContain("/clinic");
    assertThat(lines(tomcat.console(), "")).as("Tomcat's leak warnings name nothing of ours")
        .filteredOn(l -> l.contains("leak") || l.contains("failed to stop") || l.contains("ThreadLocal"))
        .noneMatch(l -> l.contains("request-timing") || l.contains("dev.requesttiming") || l.contains("io.prometheus")
            || l.contains("io.micrometer"));
  }

  private static List<String> lines(String text, String containing) {
    return Arrays.stream(text.split("\n")).filter(l -> l.contains(containing)).toList();
  }

  /** The report and the flags of the console, for the test's output. */
  private static String excerpt(String console) {
    Matcher report = Pattern.compile("(?m)^.*slow endpoints from.*\\n(?:(?:slow requests waited|endpoint|GET|POST|    ).*\\n)+").matcher(console);
    return report.find() ? report.group() : "(no report)";
  }
}
