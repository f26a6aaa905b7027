package dev.requesttiming.java11;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.Refusal;
import dev.requesttiming.core.Report;
import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The core's API on a Java 11 JVM with Micrometer 1.9: its lock-free paths (striped cells, the
 * in-flight registry, the current request) under requests from several threads, counted exactly, and
 * its records, which Java 11 knows only as final classes.
 */
class CoreOnJava11IT {

  @BeforeEach
  void onJava11() {
    Java11.assertRunningOnJava11();
  }

  @Test
  void requestsFromManyThreads_areCountedExactly_inTheTimerAndTheReport() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    RequestTimingConfig config = RequestTimingConfig.builder()
        .budget(Duration.ofSeconds(5))
        .routes("/api/users/{id}", "/api/orders/{id}")
        .reportInterval(Duration.ZERO)
        .build();
    int threads = 4;
    int each = 25_000;
    try (RequestTiming<String> timing = RequestTiming.create(registry, config, PathRequests.GET)) {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<Integer>> runs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        runs.add(pool.submit(() -> {
          start.await();
          int sameBudget = 0;
          for (int i = 0; i < each; i++) {
            RequestBudget budget = timing.start((i % 2 == 0 ? "/api/users/" : "/api/orders/") + i);
            if (RequestBudget.current() == budget && !budget.isUnlimited() && budget.remaining().compareTo(Duration.ZERO) > 0) {
              sameBudget++;
            }
            timing.finish(budget, i % 10 == 0 ? 500 : 200, null);
          }
          return sameBudget;
        }));
      }
      for (Future<Integer> run : runs) {
        assertThat(run.get(60, TimeUnit.SECONDS)).as("requests that saw their own budget").isEqualTo(each);
      }
      pool.shutdown();

      long users = registry.get("http.server.requests").tag("uri", "/api/users/{id}").timers().stream()
          .mapToLong(timer -> timer.count()).sum();
      long orders = registry.get("http.server.requests").tag("uri", "/api/orders/{id}").timers().stream()
          .mapToLong(timer -> timer.count()).sum();
      assertThat(users).isEqualTo(threads * each / 2);
      assertThat(orders).isEqualTo(threads * each / 2);

      Report report = timing.reports().snapshot();
      assertThat(report.totalRequests()).isEqualTo(threads * each);
      assertThat(report.endpoints()).extracting(EndpointReport::uri).containsExactlyInAnyOrder("/api/users/{id}", "/api/orders/{id}");
      for (EndpointReport endpoint : report.endpoints()) {
        assertThat(endpoint.count()).isEqualTo(threads * each / 2);
        // every tenth request failed, and all of them went to /api/users (even numbers)
        assertThat(endpoint.errorRatio()).isEqualTo(endpoint.uri().equals("/api/users/{id}") ? 0.2 : 0.0);
      }
      assertThat(report.toString()).contains("GET /api/users/{id}", "GET /api/orders/{id}");
      assertThat(timing.reports().liveJson(10)).contains("/api/users/{id}");
    }
  }

  @Test
  void records_areFinalClassesWithTheirOwnValueMethods() throws Exception {
    Refusal refusal = new Refusal("share", 2, "busy\n");

    assertThat(Refusal.class.getSuperclass()).isEqualTo(Object.class);
    // the downgrade leaves an annotation naming its components, whose class is not in the jar: Java skips it
    assertThat(Refusal.class.getAnnotations()).isEmpty();
    assertThat(Java11.classFileVersion(Refusal.class)).isEqualTo(55);
    assertThat(refusal).isEqualTo(new Refusal("share", 2, "busy\n")).isNotEqualTo(new Refusal("share", 3, "busy\n"));
    assertThat(refusal.hashCode()).isEqualTo(new Refusal("share", 2, "busy\n").hashCode());
    assertThat(refusal.toString()).contains("share", "2");
    assertThat(refusal.retryAfterSeconds()).isEqualTo(2);
  }
}
