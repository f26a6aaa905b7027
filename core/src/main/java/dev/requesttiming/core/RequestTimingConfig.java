package dev.requesttiming.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of request-timing. Build it with {@link #builder()}, or read it from
 * filter init-params with {@link #fromMap(Map)}; the parameter names are the same in both:
 *
 * <pre>{@code
 * RequestTimingConfig config = RequestTimingConfig.builder()
 *     .budget(Duration.ofSeconds(30))
 *     .set("endpoint-budgets", "POST /api/chat=120s, /api/reports/**=60s")
 *     .build();
 * }</pre>
 *
 * <p>Every bad value is rejected by {@link Builder#build()} (or the setter that reads it) with an
 * {@link IllegalArgumentException} naming the parameter, the value and what is allowed.
 */
public final class RequestTimingConfig {

  /** The parameter names, as init-params and as {@link Builder#set(String, String)} keys. */
  static final List<String> PARAMETERS =
      List.of(
          "budget",
          "warn-at",
          "critical-at",
          "endpoint-budgets",
          "routes",
          "route-attributes",
          "max-endpoints",
          "exclude",
          "report-interval",
          "report-top",
          "report-format",
          "watchdog-interval",
          "stack-trace-at",
          "deadline-header",
          "upstream-timeouts",
          "downstream-timeouts",
          "requests-timer",
          "mdc-keys",
          "metric-names",
          "flag-log-limit",
          "app-packages",
          "downstream-reserve",
          "prometheus-direct",
          "histogram");

  static final List<String> DEFAULT_ROUTE_ATTRIBUTES =
      List.of(
          "dev.requesttiming.route",
          "http.route",
          "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern");

  private static final Duration DEFAULT_DOWNSTREAM_RESERVE = Duration.ofMillis(250);

  static final List<String> DEFAULT_MDC_KEYS = List.of("traceId", "spanId");
  private static final int MAX_MDC_KEYS = 4;

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final Duration MIN_WATCHDOG_INTERVAL = Duration.ofMillis(10);
  private static final Duration MAX_WATCHDOG_INTERVAL = Duration.ofSeconds(1);

  private final Duration budget;
  private final double warnAt;
  private final double criticalAt;
  private final List<EndpointBudgets.Rule> endpointBudgetRules;
  private final EndpointBudgets endpointBudgets;
  private final List<RoutePattern> routes;
  private final List<String> routeAttributes;
  private final int maxEndpoints;
  private final List<RoutePattern> exclude;
  private final Duration reportInterval;
  private final int reportTop;
  private final ReportFormat reportFormat;
  private final @Nullable Duration watchdogIntervalSetting;
  private final @Nullable FlagLevel stackTraceAt;
  private final @Nullable String deadlineHeader;
  private final Map<String, Duration> upstreamTimeouts;
  private final Map<String, Duration> downstreamTimeouts;
  private final String requestsTimer;
  private final List<String> mdcKeys;
  private final MetricNames metricNames;
  private final int flagLogLimit;
  private final List<String> appPackages;
  private final @Nullable Duration downstreamReserveSetting;
  private final Duration downstreamReserve;
  private final boolean prometheusDirect;
  private final RequestsHistogram.Kind histogram;

  private RequestTimingConfig(Builder b) {
    this.budget = b.budget;
    this.warnAt = b.warnAt;
    this.criticalAt = b.criticalAt;
    this.endpointBudgetRules = List.copyOf(b.endpointBudgets);
    this.endpointBudgets = new EndpointBudgets(endpointBudgetRules, budget);
    this.routes = sortedMostSpecificFirst(b.routes);
    this.routeAttributes = List.copyOf(b.routeAttributes);
    this.maxEndpoints = b.maxEndpoints;
    this.exclude = List.copyOf(b.exclude);
    this.reportInterval = b.reportInterval;
    this.reportTop = b.reportTop;
    this.reportFormat = b.reportFormat;
    this.watchdogIntervalSetting = b.watchdogInterval;
    this.stackTraceAt = b.stackTraceAt;
    this.deadlineHeader = b.deadlineHeader;
    this.upstreamTimeouts = Map.copyOf(b.upstreamTimeouts);
    this.downstreamTimeouts = Map.copyOf(b.downstreamTimeouts);
    this.requestsTimer = b.requestsTimer;
    this.mdcKeys = List.copyOf(b.mdcKeys);
    this.metricNames = b.metricNames;
    this.flagLogLimit = b.flagLogLimit;
    this.appPackages = List.copyOf(b.appPackages);
    this.downstreamReserveSetting = b.downstreamReserve;
    this.downstreamReserve = b.downstreamReserve != null ? b.downstreamReserve : defaultReserve(budget);
    this.prometheusDirect = b.prometheusDirect;
    this.histogram = b.histogram;
  }

  /** The smaller of 250 ms and half the budget, so that the default fits any budget. */
  private static Duration defaultReserve(Duration budget) {
    Duration half = budget.dividedBy(2);
    return half.compareTo(DEFAULT_DOWNSTREAM_RESERVE) < 0 ? half : DEFAULT_DOWNSTREAM_RESERVE;
  }

  private static List<RoutePattern> sortedMostSpecificFirst(List<RoutePattern> patterns) {
    List<RoutePattern> sorted = new ArrayList<>(patterns);
    sorted.sort(RoutePattern.MOST_SPECIFIC_FIRST);
    return List.copyOf(sorted);
  }

  /** A builder with the defaults: a 30 s budget, warn at 50 %, critical at 80 %. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults. */
  public static RequestTimingConfig defaults() {
    return builder().build();
  }

  /**
   * Reads the configuration from init-params (or any name-to-value map) using the parameter names
   * of {@link Builder#set(String, String)}; absent parameters keep their defaults.
   *
   * @throws IllegalArgumentException for an unknown parameter or a bad value
   */
  public static RequestTimingConfig fromMap(Map<String, String> parameters) {
    Builder builder = builder();
    parameters.forEach(builder::set);
    return builder.build();
  }

  /** A builder holding this configuration, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.budget = budget;
    b.warnAt = warnAt;
    b.criticalAt = criticalAt;
    b.endpointBudgets.addAll(endpointBudgetRules);
    b.routes.addAll(routes);
    b.routeAttributes.clear();
    b.routeAttributes.addAll(routeAttributes);
    b.maxEndpoints = maxEndpoints;
    b.exclude.addAll(exclude);
    b.reportInterval = reportInterval;
    b.reportTop = reportTop;
    b.reportFormat = reportFormat;
    b.watchdogInterval = watchdogIntervalSetting;
    b.stackTraceAt = stackTraceAt;
    b.deadlineHeader = deadlineHeader;
    b.upstreamTimeouts.putAll(upstreamTimeouts);
    b.downstreamTimeouts.putAll(downstreamTimeouts);
    b.requestsTimer = requestsTimer;
    b.mdcKeys.clear();
    b.mdcKeys.addAll(mdcKeys);
    b.metricNames = metricNames;
    b.flagLogLimit = flagLogLimit;
    b.appPackages.addAll(appPackages);
    b.downstreamReserve = downstreamReserveSetting;
    b.prometheusDirect = prometheusDirect;
    b.histogram = histogram;
    return b;
  }

  /** The default worker-timeout budget of a request. */
  public Duration budget() {
    return budget;
  }

  /** The request attributes an adapter reads, in order, for the route template of a request. */
  public List<String> routeAttributes() {
    return routeAttributes;
  }

  /** The request header carrying an upstream deadline, or null when none is configured. */
  public @Nullable String deadlineHeader() {
    return deadlineHeader;
  }

  /**
   * Whether this library records the {@code http.server.requests} timer: {@code on}, {@code off}
   * (another instrumentation, such as Spring Boot Actuator's, records it), or {@code auto} (an
   * adapter decides at start-up, off when it finds such an instrumentation).
   */
  public String requestsTimer() {
    return requestsTimer;
  }

  /** The MDC keys whose values at a request's start its flag lines carry, e.g. trace and span ids. */
  List<String> mdcKeys() {
    return mdcKeys;
  }

  MetricNames metricNames() {
    return metricNames;
  }

  /** Per endpoint and level, how many flags of an interval are logged one by one. */
  int flagLogLimit() {
    return flagLogLimit;
  }

  /** Package prefixes of the application's own code, for where requests are stuck; empty: guessed. */
  List<String> appPackages() {
    return appPackages;
  }

  /**
   * The time a request keeps for itself when it hands its budget to a downstream call: such a call
   * gives up at the remaining budget minus this (at most half of the request's budget), so the
   * request can still answer. Unless set, the smaller of 250 ms and half the budget.
   */
  public Duration downstreamReserve() {
    return downstreamReserve;
  }

  /**
   * Whether, on a {@code PrometheusMeterRegistry}, the request timer may be counted in this
   * library's per-thread cells and published to Prometheus directly ({@code prometheus-direct=auto})
   * rather than recorded into Micrometer's timer ({@code off}); see {@link PrometheusDirect}.
   */
  boolean prometheusDirect() {
    return prometheusDirect;
  }

  /** The request timer's histogram: compact (from the budgets) or detailed; see {@link RequestsHistogram}. */
  RequestsHistogram.Kind histogram() {
    return histogram;
  }

  /** How often flag summaries (and, when on, reports) end an interval: a minute when reports are off. */
  Duration intervalOfReports() {
    return reportInterval.isZero() ? Duration.ofMinutes(1) : reportInterval;
  }

  double warnAt() {
    return warnAt;
  }

  double criticalAt() {
    return criticalAt;
  }

  EndpointBudgets endpointBudgets() {
    return endpointBudgets;
  }

  List<RoutePattern> routes() {
    return routes;
  }

  int maxEndpoints() {
    return maxEndpoints;
  }

  List<RoutePattern> exclude() {
    return exclude;
  }

  Duration reportInterval() {
    return reportInterval;
  }

  int reportTop() {
    return reportTop;
  }

  ReportFormat reportFormat() {
    return reportFormat;
  }

  /** The configured interval, else warn-at × the smallest budget ÷ 20, within [10 ms, 1 s]. */
  Duration watchdogInterval() {
    if (watchdogIntervalSetting != null) {
      return watchdogIntervalSetting;
    }
    long nanos = (long) (endpointBudgets.smallest().toNanos() * warnAt / 20);
    Duration derived = Duration.ofNanos(nanos);
    if (derived.compareTo(MIN_WATCHDOG_INTERVAL) < 0) {
      return MIN_WATCHDOG_INTERVAL;
    }
    return derived.compareTo(MAX_WATCHDOG_INTERVAL) > 0 ? MAX_WATCHDOG_INTERVAL : derived;
  }

  @Nullable FlagLevel stackTraceAt() {
    return stackTraceAt;
  }

  Map<String, Duration> upstreamTimeouts() {
    return upstreamTimeouts;
  }

  Map<String, Duration> downstreamTimeouts() {
    return downstreamTimeouts;
  }

  /** The effective configuration as {@code name=value} pairs, in parameter order. */
  Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("budget", ConfigText.duration(budget));
    d.put("warn-at", percent(warnAt));
    d.put("critical-at", percent(criticalAt));
    d.put("endpoint-budgets", joined(endpointBudgets.rules()));
    d.put("routes", joined(routes));
    d.put("route-attributes", String.join(", ", routeAttributes));
    d.put("max-endpoints", Integer.toString(maxEndpoints));
    d.put("exclude", joined(exclude));
    d.put("report-interval", reportInterval.isZero() ? "0 (off)" : ConfigText.duration(reportInterval));
    d.put("report-top", Integer.toString(reportTop));
    d.put("report-format", reportFormat.text());
    d.put("watchdog-interval", ConfigText.duration(watchdogInterval()));
    d.put("stack-trace-at", stackTraceAt == null ? "never" : stackTraceAt.text());
    d.put("deadline-header", deadlineHeader == null ? "" : deadlineHeader);
    d.put("upstream-timeouts", joinedDurations(upstreamTimeouts));
    d.put("downstream-timeouts", joinedDurations(downstreamTimeouts));
    d.put("requests-timer", requestsTimer);
    d.put("mdc-keys", String.join(", ", mdcKeys));
    d.put("metric-names", metricNames.text());
    d.put("flag-log-limit", Integer.toString(flagLogLimit));
    d.put("app-packages", appPackages.isEmpty() ? "(guessed)" : String.join(", ", appPackages));
    d.put("downstream-reserve", ConfigText.duration(downstreamReserve));
    d.put("prometheus-direct", prometheusDirect ? "auto" : "off");
    d.put("histogram", histogram.text());
    return d;
  }

  private static String percent(double fraction) {
    return Math.round(fraction * 1000) / 10.0 + "%";
  }

  private static String joined(List<?> items) {
    List<String> texts = new ArrayList<>();
    items.forEach(i -> texts.add(i.toString()));
    return String.join(", ", texts);
  }

  private static String joinedDurations(Map<String, Duration> map) {
    List<String> texts = new ArrayList<>();
    map.forEach((k, v) -> texts.add(k + "=" + ConfigText.duration(v)));
    texts.sort(null);
    return String.join(", ", texts);
  }

  @Override
  public String toString() {
    return "RequestTimingConfig" + describe();
  }

  /**
   * Builds a {@link RequestTimingConfig}. Methods that take text read it as the init-param of the
   * same name would; {@link #build()} checks the values against each other.
   */
  public static final class Builder {
    private Duration budget = Duration.ofSeconds(30);
    private double warnAt = 0.5;
    private double criticalAt = 0.8;
    private final List<EndpointBudgets.Rule> endpointBudgets = new ArrayList<>();
    private final List<RoutePattern> routes = new ArrayList<>();
    private final List<String> routeAttributes = new ArrayList<>(DEFAULT_ROUTE_ATTRIBUTES);
    private int maxEndpoints = 500;
    private final List<RoutePattern> exclude = new ArrayList<>();
    private Duration reportInterval = Duration.ofMinutes(1);
    private int reportTop = 10;
    private ReportFormat reportFormat = ReportFormat.TABLE;
    private @Nullable Duration watchdogInterval;
    private @Nullable FlagLevel stackTraceAt = FlagLevel.CRITICAL;
    private @Nullable String deadlineHeader;
    private final Map<String, Duration> upstreamTimeouts = new LinkedHashMap<>();
    private final Map<String, Duration> downstreamTimeouts = new LinkedHashMap<>();
    private String requestsTimer = "on";
    private final List<String> mdcKeys = new ArrayList<>(DEFAULT_MDC_KEYS);
    private MetricNames metricNames = MetricNames.SPRING;
    private int flagLogLimit = 5;
    private final List<String> appPackages = new ArrayList<>();
    private @Nullable Duration downstreamReserve;
    private boolean prometheusDirect = true;
    private RequestsHistogram.Kind histogram = RequestsHistogram.Kind.COMPACT;

    Builder() {}

    /**
     * Sets one parameter from its text form, as an init-param would: {@code budget}, {@code
     * warn-at}, {@code critical-at}, {@code endpoint-budgets}, {@code routes}, {@code
     * route-attributes}, {@code max-endpoints}, {@code exclude}, {@code report-interval}, {@code
     * report-top}, {@code report-format}, {@code watchdog-interval}, {@code stack-trace-at}, {@code
     * deadline-header}, {@code upstream-timeouts}, {@code downstream-timeouts}, {@code
     * requests-timer}, {@code mdc-keys}, {@code metric-names}, {@code flag-log-limit}, {@code
     * app-packages}, {@code downstream-reserve}, {@code prometheus-direct}, {@code histogram}. List values are
     * separated by commas or new lines and replace earlier values.
     *
     * @throws IllegalArgumentException for an unknown parameter or a value it cannot read
     */
    public Builder set(String parameter, String value) {
      Objects.requireNonNull(parameter, "parameter == null");
      Objects.requireNonNull(value, "value == null (" + parameter + ")");
      String name = parameter.trim().toLowerCase(Locale.ROOT);
      switch (name) {
        case "budget" -> budget = ConfigValues.duration(name, value);
        case "warn-at" -> warnAt = ConfigValues.fraction(name, value);
        case "critical-at" -> criticalAt = ConfigValues.fraction(name, value);
        case "endpoint-budgets" -> {
          endpointBudgets.clear();
          ConfigValues.list(value).forEach(i -> endpointBudgets.add(EndpointBudgets.parseRule(name, i)));
        }
        case "routes" -> {
          routes.clear();
          ConfigValues.list(value).forEach(i -> routes.add(RoutePattern.parse(name, i)));
        }
        case "route-attributes" -> {
          routeAttributes.clear();
          routeAttributes.addAll(ConfigValues.list(value));
        }
        case "max-endpoints" -> maxEndpoints = ConfigValues.positiveInt(name, value);
        case "exclude" -> {
          exclude.clear();
          ConfigValues.list(value).forEach(i -> exclude.add(RoutePattern.parse(name, i)));
        }
        case "report-interval" -> reportInterval = ConfigValues.duration(name, value);
        case "report-top" -> reportTop = ConfigValues.positiveInt(name, value);
        case "report-format" -> reportFormat = ReportFormat.parse(name, value);
        case "watchdog-interval" -> watchdogInterval = ConfigValues.duration(name, value);
        case "stack-trace-at" -> stackTraceAt = FlagLevel.parseOrNever(name, value);
        case "deadline-header" -> deadlineHeader = value.isBlank() ? null : value.trim();
        case "upstream-timeouts" -> {
          upstreamTimeouts.clear();
          upstreamTimeouts.putAll(ConfigValues.durationsByKey(name, value));
        }
        case "downstream-timeouts" -> {
          downstreamTimeouts.clear();
          downstreamTimeouts.putAll(ConfigValues.durationsByKey(name, value));
        }
        case "requests-timer" -> requestsTimer = onOffAuto(name, value);
        case "metric-names" -> metricNames = MetricNames.parse(name, value);
        case "flag-log-limit" -> flagLogLimit = ConfigValues.wholeNumber(name, value);
        case "downstream-reserve" -> downstreamReserve = ConfigValues.duration(name, value);
        case "prometheus-direct" -> prometheusDirect(value);
        case "histogram" -> histogram(value);
        case "app-packages" -> {
          appPackages.clear();
          appPackages.addAll(ConfigValues.list(value));
        }
        case "mdc-keys" -> {
          mdcKeys.clear();
          mdcKeys.addAll(ConfigValues.list(value));
        }
        default ->
            throw new IllegalArgumentException(
                "unknown parameter '" + parameter + "'; known: " + String.join(", ", PARAMETERS));
      }
      return this;
    }

    /** The default worker-timeout budget (default 30 s). */
    public Builder budget(Duration budget) {
      this.budget = Objects.requireNonNull(budget, "budget == null");
      return this;
    }

    /** The fraction of the budget at which a request is flagged {@code warn} (default 0.5). */
    public Builder warnAt(double fraction) {
      this.warnAt = fraction;
      return this;
    }

    /** The fraction of the budget at which a request is flagged {@code critical} (default 0.8). */
    public Builder criticalAt(double fraction) {
      this.criticalAt = fraction;
      return this;
    }

    /** Adds a budget for endpoints matching {@code [METHOD ]/path/pattern}, e.g. {@code POST /api/chat}. */
    public Builder endpointBudget(String endpoint, Duration budget) {
      Objects.requireNonNull(budget, "budget == null");
      endpointBudgets.add(
          EndpointBudgets.parseRule("endpoint-budgets", endpoint + "=" + budget.toString()));
      return this;
    }

    /** Adds route templates used to name paths, e.g. {@code /api/users/{id}} or {@code /files/**}. */
    public Builder routes(String... templates) {
      for (String t : templates) {
        routes.add(RoutePattern.parse("routes", t));
      }
      return this;
    }

    /** Replaces the request attributes that carry a framework's route template. */
    public Builder routeAttributes(String... names) {
      routeAttributes.clear();
      routeAttributes.addAll(List.of(names));
      return this;
    }

    /** The most distinct endpoints recorded before new ones become {@code OTHER} (default 500). */
    public Builder maxEndpoints(int max) {
      this.maxEndpoints = max;
      return this;
    }

    /** Adds path patterns that are not timed at all, e.g. {@code /metrics} or {@code /static/**}. */
    public Builder exclude(String... patterns) {
      for (String p : patterns) {
        exclude.add(RoutePattern.parse("exclude", p));
      }
      return this;
    }

    /** How often the slow-endpoint report is logged (default 1 minute; zero turns it off). */
    public Builder reportInterval(Duration interval) {
      this.reportInterval = Objects.requireNonNull(interval, "reportInterval == null");
      return this;
    }

    /** How many endpoints a report lists (default 10). */
    public Builder reportTop(int top) {
      this.reportTop = top;
      return this;
    }

    /** {@code table} (default) or {@code json}. */
    public Builder reportFormat(String format) {
      this.reportFormat = ReportFormat.parse("report-format", format);
      return this;
    }

    /** How often running requests are checked against their budgets (default: derived). */
    public Builder watchdogInterval(Duration interval) {
      this.watchdogInterval = Objects.requireNonNull(interval, "watchdogInterval == null");
      return this;
    }

    /** The level whose flag carries the worker's stack: warn, critical (default), exceeded, never. */
    public Builder stackTraceAt(String level) {
      this.stackTraceAt = FlagLevel.parseOrNever("stack-trace-at", level);
      return this;
    }

    /** A request header carrying the caller's own timeout, which can tighten the budget. */
    public Builder deadlineHeader(@Nullable String header) {
      this.deadlineHeader = header == null || header.isBlank() ? null : header.trim();
      return this;
    }

    /** Adds a timeout of a layer in front of the app (proxy, load balancer). */
    public Builder upstreamTimeout(String name, Duration timeout) {
      upstreamTimeouts.put(Objects.requireNonNull(name, "name == null"), timeout);
      return this;
    }

    /** Adds a timeout of a call the app makes (HTTP client, database). */
    public Builder downstreamTimeout(String name, Duration timeout) {
      downstreamTimeouts.put(Objects.requireNonNull(name, "name == null"), timeout);
      return this;
    }

    /** {@code on} (default), {@code off} or {@code auto}: see {@link RequestTimingConfig#requestsTimer()}. */
    public Builder requestsTimer(String mode) {
      this.requestsTimer = onOffAuto("requests-timer", mode);
      return this;
    }

    /**
     * The MDC keys whose values at a request's start its flag lines carry (default {@code traceId,
     * spanId}, as Micrometer Tracing sets them); none turns it off.
     */
    public Builder mdcKeys(String... keys) {
      mdcKeys.clear();
      mdcKeys.addAll(List.of(keys));
      return this;
    }

    /**
     * {@code spring} (default): {@code http.server.requests} with Spring Boot's tags; {@code otel}:
     * {@code http.server.request.duration} with OpenTelemetry's semantic-convention attributes.
     */
    public Builder metricNames(String naming) {
      this.metricNames = MetricNames.parse("metric-names", naming);
      return this;
    }

    /**
     * Per endpoint and level, how many flags of a report interval are logged one by one (default 5;
     * 0 logs only the summaries); the rest are counted in one summary line per endpoint.
     */
    public Builder flagLogLimit(int limit) {
      this.flagLogLimit = limit;
      return this;
    }

    /**
     * The time a request keeps to answer when a downstream call inherits its budget (default: the
     * smaller of 250ms and half the budget): budget-aware calls give up at the remaining budget minus
     * this.
     */
    public Builder downstreamReserve(Duration reserve) {
      this.downstreamReserve = Objects.requireNonNull(reserve, "downstreamReserve == null");
      return this;
    }

    /**
     * {@code auto} (default): on a plain {@code PrometheusMeterRegistry} that samples no exemplars,
     * count the request timer in per-thread cells and publish the same series to Prometheus
     * directly, so that threads sharing an endpoint do not contend on Micrometer's histogram;
     * {@code off}: always record into Micrometer's timer.
     */
    public Builder prometheusDirect(String mode) {
      String m = mode.trim().toLowerCase(Locale.ROOT);
      if (!m.equals("auto") && !m.equals("off")) {
        throw new IllegalArgumentException("prometheus-direct: '" + mode + "' is not a mode; use auto or off");
      }
      this.prometheusDirect = m.equals("auto");
      return this;
    }

    /**
     * The request timer's histogram: {@code compact} (default), about 15 to 22 boundaries derived from
     * the budgets; {@code detailed}, Micrometer's percentile histogram (about 70) plus the same levels.
     */
    public Builder histogram(String kind) {
      this.histogram = RequestsHistogram.Kind.parse("histogram", kind);
      return this;
    }

    /**
     * Package prefixes of the application's own code, e.g. {@code com.example}: where a slow request
     * is stuck is told by its first frame in one of them (default: guessed, skipping the JDK,
     * containers, Spring and common libraries).
     */
    public Builder appPackages(String... packages) {
      appPackages.clear();
      appPackages.addAll(List.of(packages));
      return this;
    }

    private static String onOffAuto(String parameter, String value) {
      String mode = value.trim().toLowerCase(Locale.ROOT);
      if (!mode.equals("on") && !mode.equals("off") && !mode.equals("auto")) {
        throw new IllegalArgumentException(parameter + ": '" + value + "' is not a mode; use on, off or auto");
      }
      return mode;
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @throws IllegalArgumentException naming the parameter, the value and what is allowed
     */
    public RequestTimingConfig build() {
      requirePositive("budget", budget);
      for (EndpointBudgets.Rule rule : endpointBudgets) {
        requirePositive("endpoint-budgets", rule.budget());
      }
      if (!(warnAt > 0 && warnAt < 1)) {
        throw new IllegalArgumentException("warn-at must be above 0 and below 1: " + warnAt);
      }
      if (!(criticalAt > 0 && criticalAt <= 1)) {
        throw new IllegalArgumentException("critical-at must be above 0 and at most 1: " + criticalAt);
      }
      if (warnAt >= criticalAt) {
        throw new IllegalArgumentException(
            "warn-at (" + warnAt + ") must be below critical-at (" + criticalAt + ")");
      }
      if (maxEndpoints < 1 || maxEndpoints > 100_000) {
        throw new IllegalArgumentException(
            "max-endpoints must be between 1 and 100000: " + maxEndpoints);
      }
      if (reportInterval.isNegative()) {
        throw new IllegalArgumentException(
            "report-interval must be zero (off) or positive: " + ConfigText.duration(reportInterval));
      }
      if (!reportInterval.isZero() && reportInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "report-interval must be 0 (off) or at least 1s: " + ConfigText.duration(reportInterval));
      }
      if (reportTop < 1 || reportTop > 1000) {
        throw new IllegalArgumentException("report-top must be between 1 and 1000: " + reportTop);
      }
      if (watchdogInterval != null
          && (watchdogInterval.compareTo(Duration.ofMillis(1)) < 0
              || watchdogInterval.compareTo(Duration.ofMinutes(1)) > 0)) {
        throw new IllegalArgumentException(
            "watchdog-interval must be between 1ms and 1m: " + ConfigText.duration(watchdogInterval));
      }
      if (deadlineHeader != null && !HEADER_NAME.matcher(deadlineHeader).matches()) {
        throw new IllegalArgumentException(
            "deadline-header: '" + deadlineHeader + "' is not a valid HTTP header name");
      }
      for (String attribute : routeAttributes) {
        if (attribute.isBlank()) {
          throw new IllegalArgumentException("route-attributes must not contain a blank name");
        }
      }
      if (flagLogLimit < 0 || flagLogLimit > 10_000) {
        throw new IllegalArgumentException("flag-log-limit must be between 0 and 10000: " + flagLogLimit);
      }
      for (String p : appPackages) {
        if (p.isBlank() || p.contains("/")) {
          throw new IllegalArgumentException("app-packages: '" + p + "' is not a package name; use e.g. com.example");
        }
      }
      if (mdcKeys.size() > MAX_MDC_KEYS) {
        throw new IllegalArgumentException(
            "mdc-keys: at most " + MAX_MDC_KEYS + " keys, not " + mdcKeys.size() + ": " + String.join(", ", mdcKeys));
      }
      for (String key : mdcKeys) {
        if (key.isBlank()) {
          throw new IllegalArgumentException("mdc-keys must not contain a blank key");
        }
      }
      if (downstreamReserve != null && (downstreamReserve.isNegative() || downstreamReserve.compareTo(budget) >= 0)) {
        throw new IllegalArgumentException(
            "downstream-reserve must be at least 0 and below the budget (" + ConfigText.duration(budget) + "): "
                + ConfigText.duration(downstreamReserve));
      }
      requirePositive("upstream-timeouts", upstreamTimeouts);
      requirePositive("downstream-timeouts", downstreamTimeouts);
      return new RequestTimingConfig(this);
    }

    private static void requirePositive(String parameter, Map<String, Duration> timeouts) {
      timeouts.forEach(
          (name, timeout) -> {
            Objects.requireNonNull(timeout, parameter + " '" + name + "' == null");
            if (timeout.isNegative() || timeout.isZero()) {
              throw new IllegalArgumentException(
                  parameter + " '" + name + "' must be positive: " + ConfigText.duration(timeout));
            }
          });
    }

    private static void requirePositive(String parameter, Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            parameter + " must be positive: " + ConfigText.duration(value));
      }
    }
  }
}
