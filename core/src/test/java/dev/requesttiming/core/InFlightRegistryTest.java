package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InFlightRegistryTest {

  private final RequestTiming timing =
      RequestTiming.create(new SimpleMeterRegistry(), RequestTimingConfig.defaults(), c -> null);

  private RequestBudget request() {
    return new RequestBudget(
        timing, HttpMethod.GET, new EndpointNaming.PathName("/x", false, false), 0, null);
  }

  @Test
  void addedRequests_areSeen_removedOnesAreNot() {
    InFlightRegistry registry = new InFlightRegistry();
    RequestBudget a = request();
    RequestBudget b = request();
    int slotA = registry.add(a);
    int slotB = registry.add(b);
    assertThat(slotA).isNotEqualTo(slotB);
    List<RequestBudget> seen = new ArrayList<>();
    registry.forEach(seen::add);
    assertThat(seen).containsExactlyInAnyOrder(a, b);

    registry.remove(slotA, a);
    seen.clear();
    registry.forEach(seen::add);
    assertThat(seen).containsExactly(b);
  }

  @Test
  void manyRequests_growBeyondOneSegment() {
    InFlightRegistry registry = new InFlightRegistry();
    List<RequestBudget> requests = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      RequestBudget r = request();
      requests.add(r);
      slots.add(registry.add(r));
    }
    assertThat(slots).doesNotContain(-1).doesNotHaveDuplicates();
    assertThat(registry.size()).isEqualTo(10_000);
    for (int i = 0; i < requests.size(); i++) {
      registry.remove(slots.get(i), requests.get(i));
    }
    assertThat(registry.size()).isZero();
  }

  @Test
  void concurrentAddAndRemove_leaveNothingBehind() throws Exception {
    InFlightRegistry registry = new InFlightRegistry();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(
          () -> {
            for (int i = 0; i < 50_000; i++) {
              RequestBudget r = request();
              int slot = registry.add(r);
              registry.remove(slot, r);
            }
            done.countDown();
          });
    }
    assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    assertThat(registry.size()).isZero();
  }
}
