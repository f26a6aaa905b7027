package dev.requesttiming.benchmarks;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.RequestTimingMeterFilter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * How close PromQL's {@code histogram_quantile(0.99, …)} comes to the exact p99 of the same
 * requests, with the compact histogram (the default) and the detailed one, at a few latency shapes;
 * and how many bucket series each costs. Prints a Markdown table:
 *
 * <pre>{@code java -cp benchmarks/target/benchmarks.jar dev.requesttiming.benchmarks.HistogramAccuracy}</pre>
 */
public final class HistogramAccuracy {

  private static final int REQUESTS = 200_000;

  private HistogramAccuracy() {}

  private record Shape(String name, Duration budget, DoubleSupplier seconds) {}

  public static void main(String[] args) {
    SplittableRandom random = new SplittableRandom(42);
    Shape[] shapes = {
      new Shape("fast API: lognormal, median 20ms", Duration.ofSeconds(30), () -> lognormal(random, 0.020, 0.5)),
      new Shape("RAG call: lognormal, median 8s", Duration.ofSeconds(30), () -> lognormal(random, 8, 0.6)),
      new Shape("mostly fast, 5% at 2s", Duration.ofSeconds(30),
          () -> random.nextDouble() < 0.95 ? lognormal(random, 0.005, 0.3) : lognormal(random, 2, 0.2)),
      new Shape("uniform 0 to 25s", Duration.ofSeconds(30), () -> random.nextDouble() * 25),
      new Shape("page: lognormal, median 60ms", Duration.ofMillis(200), () -> lognormal(random, 0.060, 0.4)),
      new Shape("page under load: median 180ms", Duration.ofMillis(200), () -> lognormal(random, 0.180, 0.5)),
    };
    System.out.println("| latency shape | budget | exact p99 | compact: histogram_quantile (error) | buckets | detailed: histogram_quantile (error) | buckets |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    for (Shape shape : shapes) {
      double[] samples = new double[REQUESTS];
      for (int i = 0; i < REQUESTS; i++) {
        samples[i] = shape.seconds().getAsDouble();
      }
      double[] sorted = samples.clone();
      Arrays.sort(sorted);
      double exact = sorted[(int) Math.ceil(0.99 * REQUESTS) - 1];
      Timer compact = timer(shape.budget(), "compact", samples);
      Timer detailed = timer(shape.budget(), "detailed", samples);
      double c = histogramQuantile(0.99, compact);
      double d = histogramQuantile(0.99, detailed);
      System.out.printf(Locale.ROOT, "| %s | %s | %s | %s (%+.1f%%) | %d | %s (%+.1f%%) | %d |%n",
          shape.name(), seconds(shape.budget().toNanos() / 1e9), seconds(exact),
          seconds(c), 100 * (c - exact) / exact, buckets(compact),
          seconds(d), 100 * (d - exact) / exact, buckets(detailed));
    }
  }

  private static double lognormal(SplittableRandom random, double median, double sigma) {
    // Box-Muller: one standard normal
    double normal = Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    return median * Math.exp(sigma * normal);
  }

  /** A request timer as Actuator would record it, with request-timing's histogram given to it. */
  private static Timer timer(Duration budget, String histogram, double[] samples) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(
        RequestTimingMeterFilter.of(RequestTimingConfig.builder().budget(budget).set("histogram", histogram).build()));
    Timer timer = Timer.builder("http.server.requests").register(registry);
    for (double s : samples) {
      timer.record((long) (s * 1e9), TimeUnit.NANOSECONDS);
    }
    return timer;
  }

  private static int buckets(Timer timer) {
    return timer.takeSnapshot().histogramCounts().length + 1; // and +Inf
  }

  /** PromQL's histogram_quantile over one series' cumulative buckets: linear within the bucket. */
  static double histogramQuantile(double q, Timer timer) {
    CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
    double total = timer.count();
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (CountAtBucket b : buckets) {
      double upper = b.bucket(TimeUnit.SECONDS);
      if (b.count() >= rank) {
        return lowerBound + (upper - lowerBound) * (rank - lowerCount) / (b.count() - lowerCount);
      }
      lowerBound = upper;
      lowerCount = b.count();
    }
    return lowerBound; // in +Inf: Prometheus answers the highest finite bound
  }

  private static String seconds(double s) {
    return s < 1 ? String.format(Locale.ROOT, "%.1fms", s * 1000) : String.format(Locale.ROOT, "%.2fs", s);
  }
}
