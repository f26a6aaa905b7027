package dev.requesttiming.core;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A downstream service on loopback for tests of budget-aware calls: paths under {@code /fast}
 * answer at once, every other path after a delay (a slow RAG backend). It notes each request's
 * path and the value of one header (the deadline header), as {@code "/slow 750"}.
 */
public final class BackendStub implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Queue<String> seen = new ConcurrentLinkedQueue<>();

  private BackendStub(String header, long delayMillis) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      seen.add(path + " " + exchange.getRequestHeaders().getFirst(header));
      try {
        Thread.sleep(path.startsWith("/fast") ? 0 : delayMillis);
        byte[] answer = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
      } catch (InterruptedException | IOException e) {
        // stopped, or the caller gave up
      } finally {
        exchange.close();
      }
    });
    server.start();
  }

  /** Starts a backend whose slow paths answer after {@code delayMillis}, noting {@code header}. */
  public static BackendStub start(String header, long delayMillis) {
    return new BackendStub(header, delayMillis);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port><path>}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The requests so far, as {@code "<path> <header value or null>"}. */
  public List<String> seen() {
    return List.copyOf(seen);
  }

  public void clear() {
    seen.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
