package dev.requesttiming.examples;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A soak run against the demo in this JVM (not part of CI): clients hammer mixed endpoints at full
 * speed on loopback for a bounded time; every 30 s it prints the heap after GC, the requests the
 * clients got answers for and the count request-timing recorded, and at the end whether every slow
 * request was flagged. Run by {@code benchmarks/soak.sh [minutes]}.
 */
public final class Soak {

  private Soak() {}

  /** {@code java -cp request-timing-demo.jar dev.requesttiming.examples.Soak [minutes] [clients]}. */
  public static void main(String[] args) throws Exception {
    long minutes = args.length > 0 ? Long.parseLong(args[0]) : 10;
    int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    DemoServer demo = DemoServer.start(new DemoOptions(0, "1s", "1m", false, true));
    String base = "http://127.0.0.1:" + demo.port();
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    LongAdder answered = new LongAdder();
    LongAdder slowSent = new LongAdder();
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    for (int c = 0; c < clients; c++) {
      pool.execute(() -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        while (System.nanoTime() < end) {
          int dice = random.nextInt(1000);
          String path;
          if (dice < 2) {
            path = "/api/slow?ms=1200"; // past the 1s budget: must be flagged
            slowSent.increment();
          } else if (dice < 600) {
            path = "/api/hello";
          } else if (dice < 900) {
            path = "/api/users/" + random.nextInt(100_000);
          } else if (dice < 950) {
            path = "/api/fail";
          } else {
            path = "/scan/" + Long.toHexString(random.nextLong()) + "/x" + random.nextInt(); // random junk
          }
          try {
            client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.discarding());
            answered.increment();
          } catch (Exception e) {
            if (e instanceof InterruptedException) {
              return;
            }
          }
        }
      });
    }
    long started = System.nanoTime();
    System.out.println("minute  heap-after-gc-MB  answered  recorded");
    while (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
      if (System.nanoTime() >= end) {
        pool.shutdown();
      }
      print(demo, started, answered.sum());
    }
    Thread.sleep(500);
    print(demo, started, answered.sum());
    long exceeded = Math.round(demo.registry().find("http.server.requests.budget.flagged").tag("level", "exceeded")
        .counters().stream().mapToDouble(c -> c.count()).sum());
    System.out.printf("slow requests sent %d, flagged exceeded %d%n", slowSent.sum(), exceeded);
    demo.close();
  }

  private static void print(DemoServer demo, long started, long answered) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heapMb = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    long recorded = recorded(demo.registry().scrape());
    System.out.printf("%6.1f  %16d  %8d  %8d%n", (System.nanoTime() - started) / 60e9, heapMb, answered, recorded);
  }

  /** The requests recorded, summed over the scrape's {@code _count} lines (the timer is published directly). */
  private static long recorded(String scrape) {
    return scrape
        .lines()
        .filter(line -> line.startsWith("http_server_requests_seconds_count{"))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
