package dev.requesttiming.core.internal.metrics;

import dev.requesttiming.core.internal.util.Loggers;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.util.TimeUtils;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.Exemplars;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;

/**
 * Publishes one request timer's series (say {@code http_server_requests_seconds} and its {@code
 * _max}) from {@link StripedTimer}s, in the form Micrometer's timer takes in the same registry, which
 * {@link PrometheusDirect} learned from a probe. Registered once per Prometheus registry and name,
 * and shared by the request-timing instances recording into it, as Micrometer shares a timer.
 *
 * <p>Thread-safe: timers are added while requests run and read by scrapes.
 */
final class DirectCollector implements MultiCollector {

  private static final Logger LOG = Loggers.CONFIG;

  /**
   * What a series looks like in this registry: its families, the labels the registry adds, its
   * buckets' bounds in nanoseconds and, as published, in seconds with {@code +Inf} last.
   */
  record Format(
      String micrometerName,
      boolean gaugeHistogram,
      MetricMetadata histogram,
      MetricMetadata max,
      Labels added,
      double[] boundariesNanos,
      double[] boundariesSeconds,
      DistributionStatisticConfig maxWindow) {}

  private record Series(StripedTimer timer, Labels labels, long createdMillis) {}

  final Format format;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<Labels, Series> series = new ConcurrentHashMap<>();
  private final AtomicBoolean clashLogged = new AtomicBoolean();
  private final AtomicBoolean failureLogged = new AtomicBoolean();
  /** How many {@link PrometheusDirect}s use it; guarded by {@link PrometheusDirect}'s lock. */
  int users;

  DirectCollector(Format format, MeterRegistry registry, Clock clock) {
    this.format = format;
    this.registry = registry;
    this.clock = clock;
  }

  /** The timer of one series, labelled as Micrometer would label it; created on first use. */
  StripedTimer timer(Labels own) {
    Labels labels = own.merge(format.added());
    return series
        .computeIfAbsent(
            labels,
            l -> new Series(new StripedTimer(format.boundariesNanos(), clock, format.maxWindow()), l, clock.wallTime()))
        .timer();
  }

  /** Never throws: a failure here would fail the whole scrape, so this family is left out of it. */
  @Override
  public MetricSnapshots collect() {
    try {
      return snapshots();
    } catch (RuntimeException | LinkageError e) {
      if (failureLogged.compareAndSet(false, true)) {
        LOG.warn("{} left out of a scrape: {}", format.micrometerName(), e.toString());
      }
      return MetricSnapshots.of();
    }
  }

  private MetricSnapshots snapshots() {
    if (!registry.find(format.micrometerName()).meters().isEmpty()) {
      // another instrumentation registered a Micrometer meter of this name: two families of one name
      // would fail the whole scrape, so this one steps aside
      if (clashLogged.compareAndSet(false, true)) {
        LOG.warn(
            "{} is also recorded by a Micrometer meter in this registry; request-timing's own series are"
                + " not published while it is. Set prometheus-direct=off so that both record into one timer.",
            format.micrometerName());
      }
      return MetricSnapshots.of();
    }
    if (series.isEmpty()) {
      return MetricSnapshots.of();
    }
    List<HistogramDataPointSnapshot> histograms = new ArrayList<>(series.size());
    List<GaugeDataPointSnapshot> maxima = new ArrayList<>(series.size());
    long[] counts = new long[format.boundariesNanos().length + 1];
    for (Series s : series.values()) {
      long sumNanos = s.timer().read(counts);
      histograms.add(
          new HistogramDataPointSnapshot(
              ClassicHistogramBuckets.of(format.boundariesSeconds(), counts.clone()),
              TimeUtils.nanosToUnit(sumNanos, TimeUnit.SECONDS),
              s.labels(),
              Exemplars.EMPTY,
              s.createdMillis()));
      maxima.add(new GaugeDataPointSnapshot(s.timer().maxSeconds(), s.labels(), null));
    }
    return MetricSnapshots.of(
        new HistogramSnapshot(format.gaugeHistogram(), format.histogram(), histograms),
        new GaugeSnapshot(format.max(), maxima));
  }
}
