package dev.requesttiming.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real nginx (Debian's {@code nginx-light}) on a free loopback port, proxying to an app on
 * loopback: one process as the current user, its configuration, logs and temporary files in a
 * directory of its own. Its access log has one line per request: {@code status request_time
 * upstream_X-Queue-Ms upstream_X-App-Ms uri}.
 */
final class Nginx implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private final Process process;
  private final Path dir;
  final int port;

  private Nginx(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Skips the test when nginx is missing; fails it in CI, which installs it. */
  static void requireBinary() {
    boolean present = Files.isExecutable(BINARY);
    if (System.getenv("CI") != null) {
      assertThat(present).as("nginx must be installed in CI (apt-get install nginx-light)").isTrue();
    }
    assumeTrue(present, "nginx is not installed (apt-get install nginx-light)");
  }

  /**
   * Starts nginx in front of {@code 127.0.0.1:appPort}, giving up on the app after {@code
   * readTimeout} ({@code proxy_read_timeout}, the budget) and, when {@code stampHeader} is not
   * null, stamping the time it received each request in that header as {@code t=${msec}}.
   */
  static Nginx start(int appPort, Duration readTimeout, String stampHeader) throws IOException, InterruptedException {
    requireBinary();
    Path dir = Files.createTempDirectory("nginx");
    int port = freePort();
    String stamp = stampHeader == null ? "" : "proxy_set_header " + stampHeader + " \"t=${msec}\";";
    Files.writeString(dir.resolve("nginx.conf"), """
        daemon off;
        master_process off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 1024; }
        http {
          log_format timing '$status $request_time $upstream_http_x_queue_ms $upstream_http_x_app_ms $uri';
          access_log %1$s/access.log timing;
          client_body_temp_path %1$s/body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          server {
            listen 127.0.0.1:%2$d;
            location / {
              proxy_pass http://127.0.0.1:%3$d;
              %4$s
              proxy_read_timeout %5$dms;
            }
          }
        }
        """.formatted(dir, port, appPort, stamp, readTimeout.toMillis()));
    Process process =
        new ProcessBuilder(BINARY.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-e", dir.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    Nginx nginx = new Nginx(process, dir, port);
    nginx.awaitListening();
    return nginx;
  }

  private void awaitListening() throws IOException, InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited: " + Files.readString(dir.resolve("stdout.log"))
            + Files.readString(dir.resolve("error.log")));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nginx is not listening on " + port + " after 10s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** One line of the access log. */
  record Logged(int status, double requestSeconds, long queueMillis, long appMillis, String path) {

    static Logged parse(String line) {
      String[] f = line.split(" ");
      return new Logged(Integer.parseInt(f[0]), Double.parseDouble(f[1]), number(f[2]), number(f[3]), f[4]);
    }

    private static long number(String field) {
      return field.equals("-") ? -1 : Long.parseLong(field);
    }
  }

  List<Logged> accessLog() throws IOException {
    return Files.readAllLines(dir.resolve("access.log")).stream().map(Logged::parse).toList();
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
