package dev.requesttiming.core.internal.config;

import static dev.requesttiming.core.internal.config.Parameters.*;

import dev.requesttiming.core.RequestTimingConfig.Histogram;
import dev.requesttiming.core.RequestTimingConfig.MetricNames;
import dev.requesttiming.core.RequestTimingConfig.PrometheusDirect;
import dev.requesttiming.core.RequestTimingConfig.ReportFormat;
import dev.requesttiming.core.RequestTimingConfig.RequestsTimer;
import dev.requesttiming.core.internal.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The checked, typed values of every {@link Parameters parameter}, and what follows from them (the
 * endpoint budgets, the watchdog's interval, the downstream reserve, the flag thresholds): what the
 * engine reads. Immutable and thread-safe; built by {@code RequestTimingConfig}'s builder.
 */
public final class Settings {

  private static final Duration DEFAULT_DOWNSTREAM_RESERVE = Duration.ofMillis(250);
  private static final Duration MIN_WATCHDOG_INTERVAL = Duration.ofMillis(10);
  private static final Duration MAX_WATCHDOG_INTERVAL = Duration.ofSeconds(1);

  /** Every parameter at its default. */
  public static final Settings DEFAULTS = defaults();

  private final Map<Parameter<?>, @Nullable Object> values;
  private final EndpointBudgets endpointBudgets;
  private final EndpointLimits endpointLimits;
  private final List<RoutePattern> routes;
  private final Duration downstreamReserve;
  /** Read for every request: fields, not lookups. */
  private final double warnAt;
  private final double criticalAt;

  private Settings(Map<Parameter<?>, @Nullable Object> values) {
    this.values = values;
    this.warnAt = get(WARN_AT);
    this.criticalAt = get(CRITICAL_AT);
    this.endpointBudgets = new EndpointBudgets(get(ENDPOINT_BUDGETS), get(BUDGET));
    this.endpointLimits = new EndpointLimits(get(ENDPOINT_LIMITS));
    List<RoutePattern> sorted = new ArrayList<>(get(ROUTES));
    sorted.sort(RoutePattern.MOST_SPECIFIC_FIRST);
    this.routes = List.copyOf(sorted);
    Duration reserve = get(DOWNSTREAM_RESERVE);
    this.downstreamReserve = reserve != null ? reserve : defaultReserve(budget());
  }

  /**
   * Checks each value, in table order, then the values against each other.
   *
   * @param values a value for every parameter (defaults included)
   * @throws IllegalArgumentException naming the parameter, the value and what is allowed
   */
  public static Settings of(Map<Parameter<?>, @Nullable Object> values) {
    Map<Parameter<?>, @Nullable Object> copy = new HashMap<>();
    for (Parameter<?> p : Parameters.all()) {
      Object value = immutable(values.get(p));
      p.check(value);
      copy.put(p, value);
    }
    Settings settings = new Settings(Collections.unmodifiableMap(copy));
    settings.checkRelations();
    return settings;
  }

  private static Settings defaults() {
    Map<Parameter<?>, @Nullable Object> values = new HashMap<>();
    Parameters.all().forEach(p -> values.put(p, p.defaultValue()));
    return of(values);
  }

  private static @Nullable Object immutable(@Nullable Object value) {
    if (value instanceof List<?> list) {
      return List.copyOf(list);
    }
    if (value instanceof Map<?, ?> map) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
    return value;
  }

  private void checkRelations() {
    if (warnAt() >= criticalAt()) {
      throw new IllegalArgumentException("warn-at (" + warnAt() + ") must be below critical-at (" + criticalAt() + ")");
    }
    Duration reserve = get(DOWNSTREAM_RESERVE);
    if (reserve != null && (reserve.isNegative() || reserve.compareTo(budget()) >= 0)) {
      throw new IllegalArgumentException(
          "downstream-reserve must be at least 0 and below the budget (" + Durations.duration(budget()) + "): "
              + Durations.duration(reserve));
    }
  }

  /** The smaller of 250 ms and half the budget, so that the default fits any budget. */
  private static Duration defaultReserve(Duration budget) {
    Duration half = budget.dividedBy(2);
    return half.compareTo(DEFAULT_DOWNSTREAM_RESERVE) < 0 ? half : DEFAULT_DOWNSTREAM_RESERVE;
  }

  /** A list parameter's value in {@code values} with {@code more} added: what a builder's adder stores. */
  public static <T> List<T> appended(Map<Parameter<?>, @Nullable Object> values, Parameter<List<T>> parameter, List<T> more) {
    @SuppressWarnings("unchecked")
    List<T> list = new ArrayList<>((List<T>) values.get(parameter));
    list.addAll(more);
    return list;
  }

  /** A map parameter's value in {@code values} with one more entry: what a builder's adder stores. */
  public static <V> Map<String, V> with(Map<Parameter<?>, @Nullable Object> values, Parameter<Map<String, V>> parameter, String key, V value) {
    @SuppressWarnings("unchecked")
    Map<String, V> map = new LinkedHashMap<>((Map<String, V>) values.get(parameter));
    map.put(Objects.requireNonNull(key, "name == null"), Objects.requireNonNull(value, parameter + " '" + key + "' == null"));
    return map;
  }

  /** The value of a parameter as set (or its default). */
  @SuppressWarnings("unchecked")
  public <T> T get(Parameter<T> parameter) {
    return (T) values.get(parameter);
  }

  /** A copy of every value, for a builder to start from. */
  public Map<Parameter<?>, @Nullable Object> values() {
    return new LinkedHashMap<>(values);
  }

  /** The effective configuration as {@code name=value} texts, in table order, for the start-up line. */
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    Parameters.all().forEach(p -> d.put(p.name(), p.describe(this)));
    return d;
  }

  public Duration budget() {
    return get(BUDGET);
  }

  public double warnAt() {
    return warnAt;
  }

  public double criticalAt() {
    return criticalAt;
  }

  /** The elapsed time at which a request with this budget reaches the level. */
  public long threshold(FlagLevel level, long budgetNanos) {
    return switch (level) {
      case WARN -> (long) (budgetNanos * warnAt());
      case CRITICAL -> (long) (budgetNanos * criticalAt());
      case EXCEEDED -> budgetNanos;
    };
  }

  /** The highest level {@code elapsedNanos} reaches of a budget; null below warn. */
  public @Nullable FlagLevel levelAt(long elapsedNanos, long budgetNanos) {
    FlagLevel reached = null;
    for (FlagLevel level : FlagLevel.ALL) {
      if (elapsedNanos >= threshold(level, budgetNanos)) {
        reached = level;
      }
    }
    return reached;
  }

  public EndpointBudgets endpointBudgets() {
    return endpointBudgets;
  }

  /** The {@code routes}, most specific first. */
  public List<RoutePattern> routes() {
    return routes;
  }

  public List<String> routeAttributes() {
    return get(ROUTE_ATTRIBUTES);
  }

  public int maxEndpoints() {
    return get(MAX_ENDPOINTS);
  }

  public List<RoutePattern> exclude() {
    return get(EXCLUDE);
  }

  public Duration reportInterval() {
    return get(REPORT_INTERVAL);
  }

  /** How often flag summaries (and, when on, reports) end an interval: a minute when reports are off. */
  public Duration intervalOfReports() {
    return reportInterval().isZero() ? Duration.ofMinutes(1) : reportInterval();
  }

  public int reportTop() {
    return get(REPORT_TOP);
  }

  public ReportFormat reportFormat() {
    return get(REPORT_FORMAT);
  }

  /** The configured interval, else warn-at × the smallest budget ÷ 20, within [10 ms, 1 s]. */
  public Duration watchdogInterval() {
    Duration set = get(WATCHDOG_INTERVAL);
    if (set != null) {
      return set;
    }
    Duration derived = Duration.ofNanos((long) (endpointBudgets.smallest().toNanos() * warnAt() / 20));
    if (derived.compareTo(MIN_WATCHDOG_INTERVAL) < 0) {
      return MIN_WATCHDOG_INTERVAL;
    }
    return derived.compareTo(MAX_WATCHDOG_INTERVAL) > 0 ? MAX_WATCHDOG_INTERVAL : derived;
  }

  /** The level whose flag carries the worker's stack; null for never. */
  public @Nullable FlagLevel stackTraceAt() {
    return get(STACK_TRACE_AT);
  }

  public @Nullable String deadlineHeader() {
    return get(DEADLINE_HEADER);
  }

  public Map<String, Duration> upstreamIdleTimeouts() {
    return get(UPSTREAM_IDLE_TIMEOUTS);
  }

  public Map<String, Duration> upstreamTimeouts() {
    return get(UPSTREAM_TIMEOUTS);
  }

  /** The shortest of the upstream timeouts, in nanoseconds: when the proxy in front gives up; MAX_VALUE when not set. */
  public long upstreamGiveUpNanos() {
    return upstreamTimeouts().values().stream().mapToLong(Duration::toNanos).min().orElse(Long.MAX_VALUE);
  }

  public Map<String, Duration> downstreamTimeouts() {
    return get(DOWNSTREAM_TIMEOUTS);
  }

  public RequestsTimer requestsTimer() {
    return get(REQUESTS_TIMER);
  }

  public List<String> mdcKeys() {
    return get(MDC_KEYS);
  }

  public MetricNames metricNames() {
    return get(METRIC_NAMES);
  }

  public int recentRequests() {
    return get(RECENT_REQUESTS);
  }

  public int flagLogLimit() {
    return get(FLAG_LOG_LIMIT);
  }

  /** Packages (or classes) of the application's own code; empty: guessed. */
  public List<String> appPackages() {
    return get(APP_PACKAGES);
  }

  /** As set, else the smaller of 250 ms and half the budget. */
  public Duration downstreamReserve() {
    return downstreamReserve;
  }

  public PrometheusDirect prometheusDirect() {
    return get(PROMETHEUS_DIRECT);
  }

  public Histogram histogram() {
    return get(HISTOGRAM);
  }

  /** The header where a proxy stamps when it received a request; null when off. */
  public @Nullable String requestStartHeader() {
    return get(REQUEST_START_HEADER);
  }

  public boolean shedSpent() {
    return get(SHED_SPENT);
  }

  /** The configured worker limit; null to detect it. */
  public boolean shedLate() {
    return get(SHED_LATE);
  }

  /** The share of the workers one endpoint may hold while others wait; null when off. */
  public @Nullable Double endpointShare() {
    return get(ENDPOINT_SHARE);
  }

  public EndpointLimits endpointLimits() {
    return endpointLimits;
  }

  /** Whether any admission control besides {@code shed-spent} is on: {@code shed-late}, a share or a limit. */
  public boolean admissionControl() {
    return shedLate() || endpointShare() != null || !endpointLimits.isEmpty();
  }

  public @Nullable Integer workerLimit() {
    return get(WORKER_LIMIT);
  }

  public double saturatedAt() {
    return get(SATURATED_AT);
  }
}
