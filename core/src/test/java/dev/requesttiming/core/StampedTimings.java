package dev.requesttiming.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Instances of request-timing on a clock the test drives (2 s budget; the watchdog and the reporter
 * left to the test), reading a proxy's {@value #STAMP}, and requests stamped as nginx stamps them;
 * {@link #close} closes every instance and the log capture.
 */
final class StampedTimings implements AutoCloseable {

  static final String STAMP = "X-Request-Start";

  final MockClock clock = new MockClock();
  final MeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
  final LogCapture log = LogCapture.of("dev.requesttiming");
  private final List<RequestTiming<?>> started = new ArrayList<>();

  StampedTimings() {
    clock.add(Duration.ofMillis(1_733_212_345_000L)); // wall time of today: stamps are read by magnitude
  }

  RequestTiming<TestRequest> timing(RequestTimingConfig.Builder config) {
    RequestTiming<TestRequest> timing =
        RequestTiming.create(
            registry,
            config.budget(Duration.ofSeconds(2)).watchdogInterval(Duration.ofMinutes(1)).reportInterval(Duration.ofMinutes(10))
                .set("request-start-header", STAMP).build(),
            TestRequest.ADAPTER);
    started.add(timing);
    return timing;
  }

  /** A GET the proxy stamped {@code waitedMillis} before now, in nginx's form. */
  TestRequest stamped(String path, long waitedMillis) {
    long stamp = clock.wallTime() - waitedMillis;
    return new TestRequest("GET", path).header(STAMP, "t=" + stamp / 1000 + "." + String.format("%03d", stamp % 1000));
  }

  @Override
  public void close() {
    started.forEach(RequestTiming::close);
    log.close();
  }
}
