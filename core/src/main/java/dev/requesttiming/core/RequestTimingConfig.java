package dev.requesttiming.core;

import dev.requesttiming.core.internal.config.EndpointBudgets;
import dev.requesttiming.core.internal.config.EndpointLimits;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.Parameter;
import dev.requesttiming.core.internal.config.Parameters;
import dev.requesttiming.core.internal.config.RoutePattern;
import dev.requesttiming.core.internal.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The immutable configuration of request-timing. Build it with {@link #builder()}, or read it from
 * filter init-params with {@link #fromMap(Map)}; the parameter names are the same in both (the
 * configuration reference, docs/configuration.md, lists them):
 *
 * <pre>{@code
 * RequestTimingConfig config = RequestTimingConfig.builder()
 *     .budget(Duration.ofSeconds(30))
 *     .set("endpoint-budgets", "POST /api/chat=120s, /api/reports/**=60s")
 *     .build();
 * }</pre>
 *
 * <p>Every bad value is rejected by {@link Builder#build()} (or {@link Builder#set}) with an {@link
 * IllegalArgumentException} naming the parameter, the value and what is allowed.
 */
public final class RequestTimingConfig {

  /** {@code requests-timer}: whether request-timing records the {@code http.server.requests} timer. */
  public enum RequestsTimer {
    ON,
    OFF,
    /** Off where another instrumentation (Spring Boot Actuator's observation) records it. */
    AUTO;

    /** Whether request-timing records the timer, given whether another instrumentation does: the auto rule. */
    public boolean records(boolean anotherInstrumentationRecords) {
      return this == ON || (this == AUTO && !anotherInstrumentationRecords);
    }
  }

  /** {@code metric-names}: Spring Boot's ({@code http.server.requests}) or OpenTelemetry's. */
  public enum MetricNames { SPRING, OTEL }
  /** {@code report-format}: the slow-endpoint report as a table or as one JSON object. */
  public enum ReportFormat { TABLE, JSON }
  /** {@code histogram}: compact, derived from the budgets, or Micrometer's detailed one. */
  public enum Histogram { COMPACT, DETAILED }
  /** {@code prometheus-direct}: publish the request timer to a Prometheus registry directly, or never. */
  public enum PrometheusDirect { AUTO, OFF }
  /** {@code stack-trace-at}: the first flag level whose line carries the worker's stack, or never. */
  public enum StackTraceAt { WARN, CRITICAL, EXCEEDED, NEVER }

  private final Settings settings;

  private RequestTimingConfig(Settings settings) {
    this.settings = settings;
  }

  /** A builder with the defaults: a 30 s budget, warn at 50 %, critical at 80 %. */
  public static Builder builder() {
    return new Builder(Settings.DEFAULTS.values());
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

  /**
   * The names of every parameter, in the order of the configuration reference's table: what {@link Builder#set}, the
   * init-params and the {@code request-timing.*} properties of Spring Boot accept.
   */
  public static List<String> parameterNames() {
    return Parameters.all().stream().map(Parameter::name).collect(Collectors.toUnmodifiableList());
  }

  /** A builder holding this configuration, to derive a variant. */
  public Builder toBuilder() {
    return new Builder(settings.values());
  }

  /** The default worker-timeout budget of a request. */
  public Duration budget() {
    return settings.budget();
  }

  /** The request attributes an adapter reads, in order, for the route template of a request. */
  public List<String> routeAttributes() {
    return settings.routeAttributes();
  }

  /** The request header carrying an upstream deadline, or null when none is configured. */
  public @Nullable String deadlineHeader() {
    return settings.deadlineHeader();
  }

  /** Whether this library records the {@code http.server.requests} timer. */
  public RequestsTimer requestsTimer() {
    return settings.requestsTimer();
  }

  /** Spring Boot's meter names or OpenTelemetry's. */
  public MetricNames metricNames() {
    return settings.metricNames();
  }

  /**
   * The time a request keeps for itself when it hands its budget to a downstream call: such a call
   * gives up at the remaining budget minus this (at most half of the request's budget). Unless set,
   * the smaller of 250 ms and half the budget.
   */
  public Duration downstreamReserve() {
    return settings.downstreamReserve();
  }

  /** The checked values, for the engine. */
  Settings settings() {
    return settings;
  }

  @Override
  public String toString() {
    return "RequestTimingConfig" + settings.describe();
  }

  /**
   * Builds a {@link RequestTimingConfig}: a typed method per parameter, named after it. A method
   * taking several values ({@code routes}, {@code exclude}) replaces the parameter's list, as {@link
   * #set} does; one taking a name or pattern and its value ({@code endpointBudget}, {@code
   * upstreamTimeout}) adds that pair. Methods that take text read it as the init-param of the same
   * name would; {@link #build()} checks the values, on their own and against each other.
   */
  public static final class Builder {
    private final Map<Parameter<?>, @Nullable Object> values;

    private Builder(Map<Parameter<?>, @Nullable Object> values) {
      this.values = values;
    }

    private <T> Builder put(Parameter<T> parameter, @Nullable T value) {
      values.put(parameter, value);
      return this;
    }

    /**
     * Sets one parameter from its text form, as an init-param would (docs/configuration.md lists
     * them). List values are separated by commas or new lines and replace earlier values.
     *
     * @throws IllegalArgumentException for an unknown parameter or a value it cannot read
     */
    public Builder set(String parameter, String value) {
      Objects.requireNonNull(parameter, "parameter == null");
      Objects.requireNonNull(value, "value == null (" + parameter + ")");
      Parameter<?> p = Parameters.named(parameter);
      values.put(p, p.parse(value));
      return this;
    }

    /** The default worker-timeout budget (default 30 s). */
    public Builder budget(Duration budget) {
      return put(Parameters.BUDGET, Objects.requireNonNull(budget, "budget == null"));
    }

    /** The fraction of the budget at which a request is flagged {@code warn} (default 0.5). */
    public Builder warnAt(double fraction) {
      return put(Parameters.WARN_AT, fraction);
    }

    /** The fraction of the budget at which a request is flagged {@code critical} (default 0.8). */
    public Builder criticalAt(double fraction) {
      return put(Parameters.CRITICAL_AT, fraction);
    }

    /** Adds a budget for endpoints matching {@code [METHOD ]/path/pattern}, e.g. {@code POST /api/chat}. */
    public Builder endpointBudget(String endpoint, Duration budget) {
      Objects.requireNonNull(budget, "budget == null");
      EndpointBudgets.Rule rule = EndpointBudgets.parseRule("endpoint-budgets", endpoint + "=" + budget);
      return put(Parameters.ENDPOINT_BUDGETS, Settings.appended(values, Parameters.ENDPOINT_BUDGETS, List.of(rule)));
    }

    /** The route templates used to name paths, e.g. {@code /api/users/{id}} or {@code /files/**}. */
    public Builder routes(String... templates) {
      return put(Parameters.ROUTES, RoutePattern.parseAll("routes", templates));
    }

    /** The request attributes that carry a framework's route template, read in this order. */
    public Builder routeAttributes(String... names) {
      return put(Parameters.ROUTE_ATTRIBUTES, List.of(names));
    }

    /** The most distinct endpoints recorded before new ones become {@code OTHER} (default 500). */
    public Builder maxEndpoints(int max) {
      return put(Parameters.MAX_ENDPOINTS, max);
    }

    /** The path patterns that are not timed at all, e.g. {@code /metrics} or {@code /static/**}. */
    public Builder exclude(String... patterns) {
      return put(Parameters.EXCLUDE, RoutePattern.parseAll("exclude", patterns));
    }

    /** How often the slow-endpoint report is logged (default 1 minute; zero turns it off). */
    public Builder reportInterval(Duration interval) {
      return put(Parameters.REPORT_INTERVAL, Objects.requireNonNull(interval, "reportInterval == null"));
    }

    /** How many endpoints a report lists (default 10). */
    public Builder reportTop(int top) {
      return put(Parameters.REPORT_TOP, top);
    }

    /** How many places where an endpoint's slow requests were stuck a report lists (default 3). */
    public Builder reportSites(int sites) {
      return put(Parameters.REPORT_SITES, sites);
    }

    /** The report's format (default table). */
    public Builder reportFormat(ReportFormat format) {
      return put(Parameters.REPORT_FORMAT, Objects.requireNonNull(format, "reportFormat == null"));
    }

    /** How often running requests are checked against their budgets (default: derived). */
    public Builder watchdogInterval(Duration interval) {
      return put(Parameters.WATCHDOG_INTERVAL, Objects.requireNonNull(interval, "watchdogInterval == null"));
    }

    /** The first level whose flag carries the worker's stack (default critical). */
    public Builder stackTraceAt(StackTraceAt level) {
      Objects.requireNonNull(level, "stackTraceAt == null");
      return put(Parameters.STACK_TRACE_AT, level == StackTraceAt.NEVER ? null : FlagLevel.valueOf(level.name()));
    }

    /** A request header carrying the caller's own timeout, which can tighten the budget. */
    public Builder deadlineHeader(@Nullable String header) {
      return put(Parameters.DEADLINE_HEADER, header == null || header.isBlank() ? null : header.trim());
    }

    /** Adds a timeout of a layer in front of the app (proxy, load balancer). */
    public Builder upstreamTimeout(String name, Duration timeout) {
      return put(Parameters.UPSTREAM_TIMEOUTS, Settings.with(values, Parameters.UPSTREAM_TIMEOUTS, name, timeout));
    }

    /** Adds how long a layer in front of the app keeps an idle connection to it open. */
    public Builder upstreamIdleTimeout(String name, Duration timeout) {
      return put(Parameters.UPSTREAM_IDLE_TIMEOUTS, Settings.with(values, Parameters.UPSTREAM_IDLE_TIMEOUTS, name, timeout));
    }

    /** Adds a timeout of a call the app makes (HTTP client, database). */
    public Builder downstreamTimeout(String name, Duration timeout) {
      return put(Parameters.DOWNSTREAM_TIMEOUTS, Settings.with(values, Parameters.DOWNSTREAM_TIMEOUTS, name, timeout));
    }

    /** Whether request-timing records {@code http.server.requests} (default on). */
    public Builder requestsTimer(RequestsTimer mode) {
      return put(Parameters.REQUESTS_TIMER, Objects.requireNonNull(mode, "requestsTimer == null"));
    }

    /** The MDC keys whose values at a request's start its flag lines carry (default traceId, spanId). */
    public Builder mdcKeys(String... keys) {
      return put(Parameters.MDC_KEYS, List.of(keys));
    }

    /** Spring Boot's meter names (default) or OpenTelemetry's. */
    public Builder metricNames(MetricNames names) {
      return put(Parameters.METRIC_NAMES, Objects.requireNonNull(names, "metricNames == null"));
    }

    /** Per endpoint and level, how many flags of a report interval are logged one by one (default 5). */
    public Builder flagLogLimit(int limit) {
      return put(Parameters.FLAG_LOG_LIMIT, limit);
    }

    /** The time a request keeps to answer when a downstream call inherits its budget (default: derived). */
    public Builder downstreamReserve(Duration reserve) {
      return put(Parameters.DOWNSTREAM_RESERVE, Objects.requireNonNull(reserve, "downstreamReserve == null"));
    }

    /** Whether the request timer may be published to a Prometheus registry directly (default auto). */
    public Builder prometheusDirect(PrometheusDirect mode) {
      return put(Parameters.PROMETHEUS_DIRECT, Objects.requireNonNull(mode, "prometheusDirect == null"));
    }

    /** The request timer's histogram (default compact). */
    public Builder histogram(Histogram kind) {
      return put(Parameters.HISTOGRAM, Objects.requireNonNull(kind, "histogram == null"));
    }

    /** Packages (or classes) of the application's own code, e.g. {@code com.example} (default: guessed). */
    public Builder appPackages(String... packages) {
      return put(Parameters.APP_PACKAGES, List.of(packages));
    }

    /** Whether a request whose budget was spent before it started is answered 503 unrun (default false). */
    public Builder shedSpent(boolean shed) {
      return put(Parameters.SHED_SPENT, shed);
    }

    /**
     * Whether a request that starts with less of its budget left than its endpoint typically takes is
     * answered 503 unrun (default false).
     */
    public Builder shedLate(boolean shed) {
      return put(Parameters.SHED_LATE, shed);
    }

    /**
     * The share of the worker limit one endpoint may hold while other endpoints' requests wait for workers, above 0
     * and below 1, e.g. 0.5 (default: off).
     */
    public Builder endpointShare(double share) {
      return put(Parameters.ENDPOINT_SHARE, share);
    }

    /** The header where the proxy in front stamps when it received the request, e.g. {@code X-Request-Start}. */
    public Builder requestStartHeader(@Nullable String header) {
      return put(Parameters.REQUEST_START_HEADER, header == null || header.isBlank() ? null : header.trim());
    }

    /** The most requests served at once, where the container does not say (default: detected). */
    public Builder workerLimit(int limit) {
      return put(Parameters.WORKER_LIMIT, limit);
    }

    /** The share of the worker limit busy at which the workers count as saturated (default 0.9). */
    public Builder saturatedAt(double fraction) {
      return put(Parameters.SATURATED_AT, fraction);
    }

    /** How many of the latest requests that passed warn the live view keeps (default 100). */
    public Builder recentRequests(int count) {
      return put(Parameters.RECENT_REQUESTS, count);
    }

    /** Adds a cap on the requests in flight at once, e.g. {@code endpointLimit("POST /api/chat", 4)}. */
    public Builder endpointLimit(String endpoint, int limit) {
      EndpointLimits.Rule rule = EndpointLimits.parseRule("endpoint-limits", endpoint + "=" + limit);
      return put(Parameters.ENDPOINT_LIMITS, Settings.appended(values, Parameters.ENDPOINT_LIMITS, List.of(rule)));
    }

    /**
     * Checks the values and builds the configuration.
     *
     * @throws IllegalArgumentException naming the parameter, the value and what is allowed
     */
    public RequestTimingConfig build() {
      return new RequestTimingConfig(Settings.of(values));
    }
  }
}
