package dev.requesttiming.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.requesttiming.core.Chromium;
import dev.requesttiming.core.LiveView;
import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.TestRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.MDC;

/**
 * The live view of the demo in a real headless Chromium: a request past its warn level shows up as
 * a bar with its endpoint and stuck site within 3 s, moves to the recent ring when it finishes; a
 * hostile path, and every text a request brings, is shown as text and runs no script; the page is
 * served with its policy; it reads at 1280 px and on a phone. The live view guide's screenshot is taken
 * here, during the demo's traffic.
 */
class LiveViewBrowserIT {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  /** The demo's budget here: warn at 1s, critical (where stacks are sampled) at 1.6s. */
  private static final Duration BUDGET = Duration.ofSeconds(2);

  private DemoServer demo;
  private ChromeDriver browser;
  private TrafficGenerator traffic;

  @AfterEach
  void stop() throws Exception {
    if (traffic != null) {
      traffic.close();
    }
    if (browser != null) {
      browser.quit();
    }
    if (demo != null) {
      demo.close();
    }
  }

  private String start() throws Exception {
    Chromium.requireBinaries();
    demo = DemoServer.start(new DemoOptions(0, BUDGET.toMillis() + "ms", "10s", false, true));
    return "http://127.0.0.1:" + demo.port();
  }

  private static CompletableFuture<Integer> getLater(String url) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
    return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
  }

  private static List<String> texts(org.openqa.selenium.WebDriver browser, String css) {
    return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
  }

  @Test
  void aSlowRequest_isABarWithItsStuckSite_thenInTheRecentRing() throws Exception {
    String app = start();
    browser = Chromium.start(1280, 900);
    browser.get(app + DemoServer.VIEW + "/");

    long sent = System.nanoTime();
    CompletableFuture<Integer> slow = getLater(app + "/api/slow?ms=5000");
    // past warn at 1s, it shows within 3s with its endpoint and where it waits
    Chromium.waitUpTo(browser, Duration.ofSeconds(4)).until(b ->
        b.findElements(By.cssSelector("#running li.bar")).stream().anyMatch(bar ->
            bar.findElement(By.className("name")).getText().equals("GET /api/slow")
                && bar.findElement(By.className("detail")).getText().contains("stuck at DemoServlet.sleep(DemoServlet.java:")));
    long shownAfterWarn = (System.nanoTime() - sent) / 1_000_000 - BUDGET.toMillis() / 2;
    assertThat(shownAfterWarn).as("ms after it passed warn").isLessThanOrEqualTo(3_000);
    assertThat(browser.findElement(By.cssSelector("#running li.bar")).getAttribute("class")).matches(".*level-(critical|exceeded).*");

    assertThat(slow.get()).isEqualTo(200);
    Chromium.waitUpTo(browser, Duration.ofSeconds(5)).until(b ->
        texts(b, "#recent tbody tr").stream().anyMatch(row -> row.contains("GET /api/slow") && row.contains("exceeded"))
            && texts(b, "#running li.bar .name").stream().noneMatch(name -> name.equals("GET /api/slow")));
    assertThat(texts(browser, "#endpoints tbody tr")).anyMatch(row -> row.startsWith("GET /api/slow"));
  }

  @Test
  void aHostilePath_isShownByItsBoundedName_andRunsNoScript() throws Exception {
    String app = start();
    browser = Chromium.start(1280, 900);
    browser.get(app + DemoServer.VIEW + "/");
    // as a browser sends it: a raw '<' in a path is refused by the container (400) before any filter
    CompletableFuture<Integer> sent = getLater(app + "/api/slow/%3Cimg%20src=x%20onerror=alert(document.domain)%3E?ms=4000");

    Chromium.waitUpTo(browser, Duration.ofSeconds(6)).until(b -> texts(b, "#running li.bar .name").contains("GET /api/slow/{id}"));
    assertThat(browser.findElements(By.tagName("img"))).as("no element made of the path").isEmpty();
    assertThat(noAlert(browser)).as("no script ran").isTrue();
    assertThat(sent.get()).isEqualTo(200);
  }

  /**
   * The text a request brings (a framework's route, the trace id from a header, a thread's name) is
   * shown as text, field by field: the real engine's snapshot of requests made of HTML, in the real page.
   */
  @Test
  void everyTextFromARequest_isShownAsText_neverRunAsHtml() throws Exception {
    Chromium.requireBinaries();
    String route = "/api/<img src=x onerror=alert(1)>";
    String trace = "<script>alert(2)</script>";
    String thread = "<svg/onload=alert(3)>";
    try (RequestTiming<TestRequest> timing = RequestTiming.create(new SimpleMeterRegistry(),
            RequestTimingConfig.builder().budget(Duration.ofMillis(300)).reportInterval(Duration.ZERO).build(), TestRequest.ADAPTER)) {
      CountDownLatch done = new CountDownLatch(1);
      Thread running = new Thread(() -> {
        MDC.put("traceId", trace);
        timing.start(new TestRequest("GET", "/api/x").route(route));
        MDC.clear();
        awaitQuietly(done);
      }, thread);
      running.start();
      MDC.put("traceId", trace);
      RequestBudget finished = timing.start(new TestRequest("POST", "/api/y").route(route));
      MDC.clear();
      Thread.sleep(200); // past warn: it enters the recent ring as it finishes
      timing.finish(finished, 200, null);
      HttpServer server = serve(timing);
      try {
        browser = Chromium.start(1280, 900);
        browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/view/");
        Chromium.waitUpTo(browser, Duration.ofSeconds(6)).until(b -> texts(b, "#running li.bar .name").contains("GET " + route));
        assertThat(texts(browser, "#running li.bar .detail")).singleElement().asString()
            .contains("thread " + thread, "trace " + trace);
        assertThat(texts(browser, "#recent tbody tr")).singleElement().asString().contains("POST " + route, trace);
        assertThat(browser.findElements(By.tagName("img"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("svg[onload]"))).isEmpty();
        assertThat(browser.findElements(By.tagName("script"))).as("the page's own script only").hasSize(1);
        assertThat(noAlert(browser)).as("no script ran").isTrue();
      } finally {
        server.stop(0);
        done.countDown();
      }
    }
  }

  /** The page and the snapshot of {@code timing}, as an adapter serves them. */
  private static HttpServer serve(RequestTiming<?> timing) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/view/", exchange -> {
      String name = exchange.getRequestURI().getPath().substring("/view/".length());
      LiveView.Asset asset = name.equals("snapshot.json")
          ? new LiveView.Asset("application/json", timing.reports().liveJson(50).getBytes(StandardCharsets.UTF_8))
          : LiveView.asset(name.isEmpty() ? "index.html" : name, "snapshot.json", "");
      LiveView.HEADERS.forEach((header, value) -> exchange.getResponseHeaders().set(header, value));
      if (asset == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.getResponseHeaders().set("Content-Type", asset.contentType());
        exchange.sendResponseHeaders(200, asset.content().length);
        exchange.getResponseBody().write(asset.content());
      }
      exchange.close();
    });
    server.start();
    return server;
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void thePage_isServedWithItsPolicy_andReadsOnAPhone() throws Exception {
    String app = start();
    HttpResponse<String> page = CLIENT.send(HttpRequest.newBuilder(URI.create(app + DemoServer.VIEW + "/")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
        assertThat(csp).contains("default-src 'none'", "script-src 'self'").doesNotContain("unsafe"));
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");

    browser = Chromium.start(390, 844);
    browser.get(app + DemoServer.VIEW + "/");
    CompletableFuture<Integer> slow = getLater(app + "/api/slow?ms=3000");
    Chromium.waitUpTo(browser, Duration.ofSeconds(5)).until(b -> !texts(b, "#running li.bar .name").isEmpty());
    Files.createDirectories(Path.of("target"));
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/live-view-phone.png"),
        StandardCopyOption.REPLACE_EXISTING);
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertThat(((Number) overflow).intValue()).as("no sideways scrolling of the page").isLessThanOrEqualTo(0);
    assertThat(slow.get()).isEqualTo(200);
  }

  /** The live view guide's screenshot (docs/live-view.png): the page while the demo's traffic runs, with slow chats and a stuck request. */
  @Test
  void duringTheDemosTraffic_thePageShowsEveryPart() throws Exception {
    String app = start();
    traffic = new TrafficGenerator(demo.port(), BUDGET, 8);
    browser = Chromium.start(1280, 1500);
    browser.get(app + DemoServer.VIEW + "/");
    for (int ms : new int[] {6000, 4500, 2500}) {
      getLater(app + "/api/slow?ms=" + ms);
    }
    Chromium.waitUpTo(browser, Duration.ofSeconds(20)).until(b ->
        texts(b, "#running li.bar .detail").stream().anyMatch(d -> d.contains("stuck at"))
            && !texts(b, "#recent tbody tr").isEmpty()
            && texts(b, "#endpoints tbody tr").size() >= 3);
    Thread.sleep(2_500); // the next refresh draws the charts with two slots or more of traffic
    Files.createDirectories(Path.of("target"));
    Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target/live-view.png"),
        StandardCopyOption.REPLACE_EXISTING);
    assertThat(noAlert(browser)).isTrue();
  }

  private static boolean noAlert(ChromeDriver browser) {
    try {
      browser.switchTo().alert();
      return false;
    } catch (NoAlertPresentException e) {
      return true;
    }
  }
}
