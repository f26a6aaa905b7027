package org.springframework.samples.vetclinic;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @BeforeAll
  void deployAndStart() throws Exception {
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
    tomcat.start();
    await().atMost(180, SECONDS).pollInterval(1, SECONDS).ignoreExceptions().until(() ->
        tomcat.get("/clinic/owners").statusCode() == 200 && tomcat.get("/plain/owners").statusCode() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (tomcat != null) {
      tomcat.close();
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
    await().atMost(60, SECONDS).pollInterval(1, SECONDS).until(() -> tomcat.console().contains("\n    stuck at "));
    String console = tomcat.console();
    System.out.println(excerpt(console));

    assertThat(lines(console, "app-packages: org.springframework.samples.vetclinic (the packages of /WEB-INF/classes"))
        .as("found in each app, though the package starts like Spring's own").hasSize(2);
    List<String> stuck = lines(console, "    stuck at ");
    assertThat(stuck).as("the searches wait in the app's repository")
        .anyMatch(s -> s.startsWith("    stuck at OwnerRepository.findByLastName(OwnerRepository.java:"));
    assertThat(stuck).noneMatch(s -> s.contains("_jsp") || s.contains("_tag") || s.contains("Jasper"));

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
    Matcher report = Pattern.compile("(?m)^.*slow endpoints from.*\\n(?:(?:endpoint|GET|POST|    ).*\\n)+").matcher(console);
    return report.find() ? report.group() : "(no report)";
  }
}
