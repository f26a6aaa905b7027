package dev.requesttiming.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Built-in load against the demo on loopback: a mix of fast, normal, slow (some past the budget),
 * failing and chat requests from a few virtual users, for a bounded time; and every {@link
 * #WAVE_EVERY}, for {@link #WAVE_LENGTH}, a wave of {@value #WAVE_USERS} more users calling the slow
 * endpoint at 75 % of the budget twice a second, more than the demo's workers can serve. Every
 * request carries the stamp a proxy in front would write ({@link DemoServer#STAMP}).
 */
final class TrafficGenerator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.demo");
  static final Duration MAX_RUN = Duration.ofMinutes(10);
  static final Duration WAVE_EVERY = Duration.ofMinutes(2);
  static final Duration WAVE_LENGTH = Duration.ofSeconds(20);
  private static final Duration FIRST_WAVE = Duration.ofSeconds(45);
  static final int WAVE_USERS = 30;

  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  private final ExecutorService users;
  private final String base;
  private final long budgetMillis;
  private final long startedAt = System.nanoTime();
  private final long stopAt = startedAt + MAX_RUN.toNanos();
  private volatile boolean stopped;

  TrafficGenerator(int port, Duration budget, int userCount) {
    this.base = "http://127.0.0.1:" + port;
    this.budgetMillis = budget.toMillis();
    this.users =
        Executors.newFixedThreadPool(
            userCount + WAVE_USERS,
            r -> {
              Thread t = new Thread(r, "demo-traffic");
              t.setDaemon(true);
              return t;
            });
    for (int i = 0; i < userCount; i++) {
      users.execute(this::browse);
    }
    for (int i = 0; i < WAVE_USERS; i++) {
      users.execute(this::waves);
    }
  }

  /** One user of the slow waves: in a wave, the slow endpoint twice a second; between them, nothing. */
  private void waves() {
    long wave = startedAt + FIRST_WAVE.toNanos();
    try {
      while (!stopped && wave < stopAt) {
        sleepUntil(wave);
        long end = wave + WAVE_LENGTH.toNanos();
        for (long next = System.nanoTime(); !stopped && System.nanoTime() < end; next = Math.max(next + 500_000_000L, System.nanoTime())) {
          sleepUntil(next);
          send(request("GET", "/api/slow?ms=" + budgetMillis * 3 / 4));
        }
        wave += WAVE_EVERY.toNanos();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private void send(HttpRequest request) throws InterruptedException {
    try {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException e) {
      if (!stopped) {
        LOG.debug("demo traffic request failed: {}", e.toString());
      }
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
    return request(method, path);
  }

  /** A request as a proxy in front would pass it on: stamped with when it was received. */
  private HttpRequest request(String method, String path) {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofMillis(budgetMillis * 3))
        .header(DemoServer.STAMP, "t=" + micros)
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
