package dev.requesttiming.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in load against the demo on loopback: a mix of fast, normal, slow (some past the budget),
 * failing and chat requests from a few virtual users, for a bounded time.
 */
final class TrafficGenerator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.demo");
  static final Duration MAX_RUN = Duration.ofMinutes(10);

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final ExecutorService users;
  private final String base;
  private final long budgetMillis;
  private final long stopAt = System.nanoTime() + MAX_RUN.toNanos();
  private volatile boolean stopped;

  TrafficGenerator(int port, Duration budget, int userCount) {
    this.base = "http://127.0.0.1:" + port;
    this.budgetMillis = budget.toMillis();
    this.users =
        Executors.newFixedThreadPool(
            userCount,
            r -> {
              Thread t = new Thread(r, "demo-traffic");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < userCount; i++) {
      users.execute(this::browse);
    }
  }

  private void browse() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    while (!stopped && System.nanoTime() < stopAt) {
      try {
        client.send(next(random), HttpResponse.BodyHandlers.discarding());
        Thread.sleep(20 + random.nextInt(80));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (!stopped) {
          LOG.debug("demo traffic request failed: {}", e.toString());
        }
      }
    }
    if (!stopped) {
      LOG.info("demo traffic stopped after {} minutes", MAX_RUN.toMinutes());
    }
  }

  private HttpRequest next(ThreadLocalRandom random) {
    int dice = random.nextInt(100);
    String path;
    String method = "GET";
    if (dice < 45) {
      path = "/api/hello";
    } else if (dice < 70) {
      path = "/api/users/" + random.nextInt(1, 5000);
    } else if (dice < 82) {
      path = "/api/slow?ms=" + random.nextLong(50, Math.max(100, budgetMillis * 2 / 5));
    } else if (dice < 85) {
      path = "/api/slow?ms=" + random.nextLong(budgetMillis * 6 / 10, budgetMillis * 3 / 2); // flagged
    } else if (dice < 90) {
      path = "/api/fail";
    } else {
      path = "/api/chat";
      method = "POST";
    }
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofMillis(budgetMillis * 3))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
  }

  @Override
  public void close() {
    stopped = true;
    users.shutdownNow();
    try {
      users.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
