package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.TestRequest;
import dev.requesttiming.core.TestSettings;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.naming.EndpointNaming;

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

  private final Engine engine =
      TestSettings.engine(RequestTiming.create(new SimpleMeterRegistry(), RequestTimingConfig.defaults(), TestRequest.ADAPTER));

  private InFlightRequest request() {
    return new InFlightRequest(
        engine, HttpMethod.GET, new EndpointNaming.PathName("/x", false, false), 0, 0, new Object(), Long.MAX_VALUE, null, false);
  }

  @Test
  void addedRequests_areSeen_removedOnesAreNot() {
    InFlightRegistry registry = new InFlightRegistry();
    InFlightRequest a = request();
    InFlightRequest b = request();
    int slotA = registry.add(a);
    int slotB = registry.add(b);
    assertThat(slotA).isNotEqualTo(slotB);
    List<InFlightRequest> seen = new ArrayList<>();
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
    List<InFlightRequest> requests = new ArrayList<>();
    List<Integer> slots = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      InFlightRequest r = request();
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
              InFlightRequest r = request();
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
