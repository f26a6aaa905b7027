package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A million distinct paths must not grow the series or the library's memory past their bounds. */
class CardinalityAttackTest {

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String randomPath(Random random, int i) {
    return switch (i % 4) {
      case 0 -> "/api/items/" + random.nextLong(); // numbers: collapse into {id}
      case 1 -> "/" + word(random) + "/" + word(random); // words: distinct endpoints
      case 2 -> "/files/" + word(random) + random.nextInt(1000) + "/" + word(random); // mixes
      default -> "/" + word(random) + "/%0d%0a/" + random.nextInt(); // junk
    };
  }

  private static String word(Random random) {
    char[] chars = new char[4 + random.nextInt(8)];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = (char) ('a' + random.nextInt(26));
    }
    return new String(chars);
  }

  @Test
  void millionDistinctPaths_boundedSeriesAndBoundedHeap() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    RequestTiming<TestRequest> timing =
        RequestTiming.create(
            registry,
            RequestTimingConfig.builder().reportInterval(Duration.ZERO).watchdogInterval(Duration.ofMinutes(1)).build(),
            TestRequest.ADAPTER);
    Random random = new Random(7);
    long before = usedHeapAfterGc();
    for (int i = 0; i < 1_000_000; i++) {
      RequestBudget r = timing.start(new TestRequest(i % 7 == 0 ? "POST" : "GET", randomPath(random, i)));
      timing.finish(r, i % 10 == 0 ? 404 : 200, null);
    }
    timing.watchdog().scan();
    timing.reports().snapshot(); // the reporter's totals exist too
    long after = usedHeapAfterGc();

    Set<String> uris = new HashSet<>(); // as Prometheus sees them: the timer is published directly
    java.util.regex.Matcher series =
        java.util.regex.Pattern.compile("(?m)^http_server_requests_seconds_count\\{.*method=\"([^\"]*)\".*uri=\"([^\"]*)\"}")
            .matcher(registry.scrape());
    while (series.find()) {
      uris.add(series.group(1) + " " + series.group(2));
    }
    assertThat(uris).hasSizeGreaterThan(100);
    uris.removeIf(u -> u.endsWith(" OTHER") || u.endsWith(" NOT_FOUND") || u.endsWith(" REDIRECTION"));
    assertThat(uris).hasSizeLessThanOrEqualTo(500);
    long retainedMb = (after - before) / (1024 * 1024);
    System.out.printf("1,000,000 distinct paths: %d endpoints, %d series in the scrape, heap grew by %d MB%n",
        uris.size(), registry.scrape().lines().filter(l -> !l.startsWith("#")).count(), retainedMb);
    assertThat(retainedMb).isLessThan(150); // the measured bound is in docs/guarantees.md; this is a generous ceiling
    timing.close();
  }
}
