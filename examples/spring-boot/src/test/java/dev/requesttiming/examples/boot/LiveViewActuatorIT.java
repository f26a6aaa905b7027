package dev.requesttiming.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The live view as the Actuator endpoint {@code requesttiming}: absent until exposed, like every
 * endpoint; once exposed, its page in a real headless Chromium shows a slow request of the app with
 * its route, where it waits and its trace; on a management port of its own too.
 */
class LiveViewActuatorIT {

  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static ConfigurableApplicationContext start(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "--server.port=0";
    all[1] = "--request-timing.budget=3s";
    all[2] = "--management.tracing.sampling.probability=1.0";
    System.arraycopy(args, 0, all, 3, args.length);
    return new SpringApplicationBuilder(BootDemoApplication.class).run(all);
  }

  private static String url(ConfigurableApplicationContext app, String portProperty) {
    return "http://127.0.0.1:" + app.getEnvironment().getProperty(portProperty);
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theEndpoint_isAbsentUntilExposed() throws Exception {
    try (ConfigurableApplicationContext app = start()) { // the app exposes health and prometheus
      String base = url(app, "local.server.port");
      assertThat(get(base + "/actuator/prometheus").statusCode()).isEqualTo(200);
      assertThat(get(base + "/actuator/requesttiming").statusCode()).isEqualTo(404);
      assertThat(get(base + "/actuator/requesttiming/view").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void onceExposed_itsPageShowsASlowRequest_withItsRouteStuckSiteAndTrace() throws Exception {
    Chromium.requireBinaries();
    try (ConfigurableApplicationContext app = start("--management.endpoints.web.exposure.include=health,prometheus,requesttiming")) {
      String base = url(app, "local.server.port");
      HttpResponse<String> json = get(base + "/actuator/requesttiming");
      assertThat(json.statusCode()).isEqualTo(200);
      assertThat(json.body()).startsWith("{\"schema\":\"request-timing.live/1\"");
      HttpResponse<String> page = get(base + "/actuator/requesttiming/view");
      assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
      assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
          assertThat(csp).contains("default-src 'none'").doesNotContain("unsafe"));
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");

      ChromeDriver browser = Chromium.start(1280, 900);
      try {
        browser.get(base + "/actuator/requesttiming/view");
        CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> {
          try {
            return get(base + "/api/slow?ms=4500");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        // warn at 1.5s, its stack sampled at critical (2.4s)
        Chromium.waitUpTo(browser, Duration.ofSeconds(6)).until(b ->
            b.findElements(By.cssSelector("#running li.bar")).stream().anyMatch(bar ->
                bar.findElement(By.className("name")).getText().equals("GET /api/slow")
                    && detail(bar).contains("stuck at ApiController.slow(ApiController.java:")
                    && detail(bar).matches(".*trace [0-9a-f]{32}.*")));
        assertThat(slow.get().statusCode()).isEqualTo(200);
        Chromium.waitUpTo(browser, Duration.ofSeconds(5)).until(b ->
            b.findElements(By.cssSelector("#recent tbody tr")).stream().anyMatch(row -> row.getText().contains("GET /api/slow")));
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void onAManagementPortOfItsOwn_theViewIsThereWithItsPolicy() throws Exception {
    try (ConfigurableApplicationContext app = start(
        "--management.server.port=0", "--management.endpoints.web.exposure.include=requesttiming")) {
      String management = url(app, "local.management.port");
      assertThat(get(url(app, "local.server.port") + "/actuator/requesttiming").statusCode()).isEqualTo(404);
      assertThat(get(management + "/actuator/requesttiming").body()).startsWith("{\"schema\":\"request-timing.live/1\"");
      assertThat(get(management + "/actuator/requesttiming/view.js").headers().firstValue("Content-Security-Policy")).isPresent();
    }
  }

  private static String detail(WebElement bar) {
    return bar.findElement(By.className("detail")).getText();
  }
}
