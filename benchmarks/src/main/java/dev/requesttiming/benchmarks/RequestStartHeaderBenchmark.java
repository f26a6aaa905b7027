package dev.requesttiming.benchmarks;

import dev.requesttiming.core.internal.engine.RequestStartHeader;
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

/**
 * What reading a proxy's {@code X-Request-Start} stamp costs ({@code request-start-header}): the
 * header's value parsed into the time the request waited, in each form proxies write. The header's
 * lookup is the container's, and the queue timer's record is measured with the filter
 * ({@code FilterOverheadBenchmark.requestTimingWithStamp}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RequestStartHeaderBenchmark {

  /** nginx's {@code t=${msec}}, HAProxy's microseconds, milliseconds, Render's nanoseconds. */
  @Param({"nginx", "haproxy", "millis", "nanos"})
  public String form;

  private String stamp;
  private long nowMicros;

  @Setup(Level.Trial)
  public void setUp() {
    long micros = System.currentTimeMillis() * 1000 - 20_000;
    stamp = switch (form) {
      case "nginx" -> "t=" + micros / 1_000_000 + "." + String.format("%03d", micros / 1000 % 1000);
      case "haproxy" -> "t=" + micros;
      case "millis" -> Long.toString(micros / 1000);
      case "nanos" -> Long.toString(micros * 1000);
      default -> throw new IllegalArgumentException(form);
    };
    nowMicros = System.currentTimeMillis() * 1000;
  }

  @Benchmark
  public long parse() {
    return RequestStartHeader.queueNanos(stamp, nowMicros);
  }
}
