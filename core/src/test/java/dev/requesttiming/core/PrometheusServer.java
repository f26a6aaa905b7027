package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * A real Prometheus server on loopback (Debian's {@code prometheus} package) that scrapes one target
 * every second and evaluates the given rule file, for tests. Where the binary is missing the test is
 * skipped, unless {@code CI} is set, where it fails.
 */
public final class PrometheusServer implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final String url;

  private PrometheusServer(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  /** Skips the test when a binary of the prometheus package is missing; fails it in CI. */
  public static void requireBinary(String name) {
    boolean present = Files.isExecutable(Path.of("/usr/bin", name)) || Files.isExecutable(Path.of("/usr/local/bin", name));
    if (System.getenv("CI") != null) {
      assertThat(present).as(name + " must be installed in CI (apt-get install prometheus)").isTrue();
    }
    assumeTrue(present, name + " is not installed (apt-get install prometheus)");
  }

  /**
   * Starts Prometheus in {@code dir} (its config, data and log go there), scraping {@code
   * 127.0.0.1:targetPort} at {@code metricsPath} every second with the rules of {@code rules}, and
   * waits until it is ready.
   */
  public static PrometheusServer start(Path dir, Path rules, int targetPort, String metricsPath) throws IOException {
    requireBinary("prometheus");
    Files.copy(rules, dir.resolve("rules.yml"));
    Files.writeString(
        dir.resolve("prometheus.yml"),
        """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        rule_files: [rules.yml]
        scrape_configs:
          - job_name: app
            metrics_path: %s
            static_configs:
              - targets: ["127.0.0.1:%d"]
        """
            .formatted(metricsPath, targetPort));
    int port = freePort();
    Process process =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + dir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("prometheus.log").toFile())
            .start();
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port);
    Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
        .until(() -> get(server.url + "/-/ready").statusCode() == 200);
    return server;
  }

  /** The server's base URL. */
  public String url() {
    return url;
  }

  /** The JSON answer of an instant query. */
  public String query(String promql) {
    return get(url + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body();
  }

  /** The first sample's value of an instant query, or NaN when there is none. */
  public double value(String promql) {
    Matcher m = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]").matcher(query(promql));
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** The JSON of the scrape targets, with each one's health and last error: for failure messages. */
  public String targets() {
    return get(url + "/api/v1/targets").body();
  }

  /** The JSON of the alerts that are pending or firing. */
  public String alerts() {
    return get(url + "/api/v1/alerts").body();
  }

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** A GET with a 10 s timeout; I/O errors become unchecked. */
  public static HttpResponse<String> get(String url) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
