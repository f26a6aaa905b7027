package dev.requesttiming.core.internal.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code prometheus-direct=auto}: on a {@link PrometheusMeterRegistry}, the request timer is counted
 * in {@link StripedTimer}s and published by a {@link DirectCollector} on the registry's {@link
 * PrometheusRegistry}, instead of recorded into Micrometer's timer, whose histogram every request of
 * an endpoint writes. The series are the same: at start a probe timer is registered through the
 * registry (its meter filters, naming convention and defaults apply), scraped and removed, and its
 * families' names, help, added labels (common tags) and buckets are what the collector publishes.
 *
 * <p>It is not used (Micrometer's timer is, as with {@code off}) when the registry is a subclass,
 * samples exemplars (only Micrometer's timer attaches them), already holds a meter of that name, or
 * its filters deny the probe, change its tags or its histogram. Loaded only with a {@link
 * PrometheusMeterRegistry} present. Thread-safe.
 */
final class PrometheusDirect {

  static final String REGISTRY_CLASS = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  /** The collectors in use, per Prometheus registry and Micrometer name; guarded by the class. */
  private static final Map<PrometheusRegistry, Map<String, DirectCollector>> SHARED = new WeakHashMap<>();

  private final DirectCollector collector;
  private final PrometheusRegistry target;
  private final NamingConvention convention;
  private boolean closed;

  private PrometheusDirect(DirectCollector collector, PrometheusRegistry target, NamingConvention convention) {
    this.collector = collector;
    this.target = target;
    this.convention = convention;
  }

  /** Why direct publishing is not used here; the message is logged at start. */
  static final class NotUsed extends Exception {
    NotUsed(String why) {
      super(why, null, false, false);
    }
  }

  /**
   * Starts publishing directly into {@code registry}, a {@link PrometheusMeterRegistry}.
   *
   * @param name the request timer's Micrometer name
   * @param probe the request timer of a made-up endpoint, as it would be registered; {@code tags} its tags
   * @throws NotUsed when Micrometer's timer must be used, saying why
   */
  static PrometheusDirect start(MeterRegistry registry, String name, Timer.Builder probe, Tags tags, Clock clock)
      throws NotUsed {
    if (registry.getClass() != PrometheusMeterRegistry.class) {
      throw new NotUsed("the registry is a subclass of PrometheusMeterRegistry");
    }
    PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) registry;
    if (privateField(prometheus, "exemplarSamplerFactory") != null) {
      throw new NotUsed("the registry samples exemplars, which only Micrometer's timer attaches");
    }
    PrometheusConfig config = (PrometheusConfig) privateField(prometheus, "prometheusConfig");
    if (config == null) {
      throw new NotUsed("the registry's configuration cannot be read");
    }
    PrometheusRegistry target = prometheus.getPrometheusRegistry();
    NamingConvention convention = registry.config().namingConvention();
    synchronized (PrometheusDirect.class) {
      Map<String, DirectCollector> byName = SHARED.computeIfAbsent(target, t -> new HashMap<>());
      DirectCollector collector = byName.get(name);
      if (collector == null) {
        if (!registry.find(name).meters().isEmpty()) {
          throw new NotUsed("the registry already holds a Micrometer meter named " + name);
        }
        DirectCollector.Format format = probe(prometheus, probe, tags, config, convention);
        collector = new DirectCollector(format, registry, clock);
        target.register(collector);
        byName.put(name, collector);
      }
      collector.users++;
      return new PrometheusDirect(collector, target, convention);
    }
  }

  /** Registers the probe, reads what the registry publishes for it, and removes it again. */
  private static DirectCollector.Format probe(
      PrometheusMeterRegistry registry, Timer.Builder builder, Tags tags, PrometheusConfig config, NamingConvention convention)
      throws NotUsed {
    Timer probe = builder.register(registry);
    try {
      String family = probe.getId().getConventionName(convention);
      HistogramSnapshot histogram = null;
      GaugeSnapshot max = null;
      for (MetricSnapshot snapshot : registry.getPrometheusRegistry().scrape()) {
        String snapshotName = snapshot.getMetadata().getName();
        if (snapshot instanceof HistogramSnapshot h && snapshotName.equals(family)) {
          histogram = h;
        } else if (snapshot instanceof GaugeSnapshot g && snapshotName.equals(family + "_max")) {
          max = g;
        }
      }
      if (histogram == null || max == null || histogram.getDataPoints().size() != 1) {
        throw new NotUsed("the registry's meter filters deny " + probe.getId().getName() + " or make it no histogram");
      }
      HistogramDataPointSnapshot point = histogram.getDataPoints().get(0);
      CountAtBucket[] buckets = probe.takeSnapshot().histogramCounts();
      double[] nanos = new double[buckets.length];
      double[] seconds = new double[buckets.length + 1];
      for (int i = 0; i < buckets.length; i++) {
        nanos[i] = buckets[i].bucket();
        seconds[i] = buckets[i].bucket(TimeUnit.SECONDS);
        if (seconds[i] != point.getClassicBuckets().getUpperBound(i)) {
          throw new NotUsed("its published buckets differ from the timer's");
        }
      }
      seconds[buckets.length] = Double.POSITIVE_INFINITY;
      return new DirectCollector.Format(
          probe.getId().getName(),
          histogram.isGaugeHistogram(),
          histogram.getMetadata(),
          max.getMetadata(),
          added(point.getLabels(), labels(tags, convention), probe),
          nanos,
          seconds,
          DistributionStatisticConfig.builder().expiry(config.step()).build().merge(DistributionStatisticConfig.DEFAULT));
    } finally {
      registry.remove(probe);
    }
  }

  /** The labels the registry adds to the timer's own (common tags); throws if it changed its own. */
  private static Labels added(Labels published, Labels own, Timer probe) throws NotUsed {
    Set<String> ownNames = new HashSet<>();
    for (Label label : own) {
      ownNames.add(label.getName());
      if (!label.getValue().equals(published.get(label.getName()))) {
        throw new NotUsed("the registry's meter filters change the tags of " + probe.getId().getName());
      }
    }
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Label label : published) {
      if (!ownNames.contains(label.getName())) {
        names.add(label.getName());
        values.add(label.getValue());
      }
    }
    return Labels.of(names, values);
  }

  private static Labels labels(Tags tags, NamingConvention convention) {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    for (Tag tag : tags) {
      names.add(convention.tagKey(tag.getKey()));
      values.add(convention.tagValue(tag.getValue()));
    }
    return Labels.of(names, values);
  }

  private static @Nullable Object privateField(PrometheusMeterRegistry registry, String name) throws NotUsed {
    try {
      Field field = PrometheusMeterRegistry.class.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(registry);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new NotUsed("this version of PrometheusMeterRegistry cannot be read (" + e + ")");
    }
  }

  /** The counts of the series with these tags (the timer's own; the registry's are added). */
  StripedTimer timer(Tags tags) {
    return collector.timer(labels(tags, convention));
  }

  /** Stops publishing when the last user of the collector stops. Idempotent. */
  void close() {
    synchronized (PrometheusDirect.class) {
      if (closed) {
        return;
      }
      closed = true;
      if (--collector.users == 0) {
        target.unregister(collector);
        Map<String, DirectCollector> byName = SHARED.get(target);
        if (byName != null) {
          byName.values().remove(collector);
        }
      }
    }
  }
}
