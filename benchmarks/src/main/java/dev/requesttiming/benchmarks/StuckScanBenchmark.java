package dev.requesttiming.benchmarks;

import dev.requesttiming.core.BenchmarkAccess;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One watchdog scan in an incident: 1,000 requests stuck past their critical level on 1,000 real
 * (parked) threads. {@code sampling=true} advances the clock a second per scan, so every scan takes
 * its stack samples (at most 32): the worst case; {@code false} is a scan between samples. With
 * {@code waitingOn=monitor} the threads are blocked on one monitor a last thread holds, so each
 * sample also looks up the lock's owner and its stack (a second batch).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class StuckScanBenchmark {

  @Param({"1000"})
  public int stuck;

  @Param({"true", "false"})
  public boolean sampling;

  @Param({"latch", "monitor"})
  public String waitingOn;

  private final Object inventory = new Object();

  private final MockClock clock = new MockClock();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> threads = new ArrayList<>();
  private RequestTiming<BenchmarkAccess.Request> timing;

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    timing =
        RequestTiming.create(
            new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock),
            RequestTimingConfig.builder()
                .budget(Duration.ofSeconds(10))
                .watchdogInterval(Duration.ofMinutes(1))
                .reportInterval(Duration.ofMinutes(10))
                .build(),
            BenchmarkAccess.REQUESTS);
    boolean monitor = waitingOn.equals("monitor");
    if (monitor) {
      CountDownLatch held = new CountDownLatch(1);
      Thread holder = new Thread(() -> {
        synchronized (inventory) {
          held.countDown();
          waitForTheBackend();
        }
      }, "holder");
      holder.setDaemon(true);
      threads.add(holder);
      holder.start();
      held.await();
    }
    CountDownLatch started = new CountDownLatch(stuck);
    for (int i = 0; i < stuck; i++) {
      Thread t = new Thread(() -> {
        timing.start(new BenchmarkAccess.Request("GET", "/api/chat"));
        started.countDown();
        if (monitor) {
          synchronized (inventory) {
            Thread.onSpinWait();
          }
        } else {
          waitForTheBackend();
        }
      }, "worker-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    started.await();
    clock.add(Duration.ofSeconds(9)); // all past critical
    BenchmarkAccess.scan(timing); // their flags, once
  }

  private void waitForTheBackend() {
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    release.countDown();
    for (Thread t : threads) {
      t.join();
    }
    timing.close();
  }

  @Benchmark
  public void scan() {
    clock.add(sampling ? Duration.ofSeconds(1) : Duration.ofMillis(1));
    BenchmarkAccess.scan(timing);
  }
}
