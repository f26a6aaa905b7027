package dev.requesttiming.spring;

import dev.requesttiming.core.RequestTimingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code request-timing.*} properties: the filter's init-params under Spring's binding, e.g.
 *
 * <pre>
 * request-timing.budget=30s
 * request-timing.endpoint-budgets=POST /api/chat=120s, /api/reports/**=60s
 * request-timing.exclude=/actuator/**
 * request-timing.downstream-timeouts.rag=25s
 * </pre>
 */
@ConfigurationProperties("request-timing")
public class RequestTimingProperties {

  /** Whether request-timing times requests at all. */
  private boolean enabled = true;

  /** The worker-timeout budget of a request, e.g. 30s. */
  private Duration budget = Duration.ofSeconds(30);

  /** The fraction of the budget at which a running request is flagged warn: 0.5 or 50%. */
  private String warnAt = "0.5";

  /** The fraction of the budget at which a running request is flagged critical: 0.8 or 80%. */
  private String criticalAt = "0.8";

  /** Budgets of endpoints as "[METHOD ]/path/pattern=duration" rules, e.g. POST /api/chat=120s. */
  private List<String> endpointBudgets = new ArrayList<>();

  /** Route templates that name paths Spring MVC does not route, e.g. /files/**. */
  private List<String> routes = new ArrayList<>();

  /** Request attributes carrying the route template; Spring MVC's is among the defaults. */
  private @Nullable List<String> routeAttributes;

  /** The most distinct endpoints recorded before new ones are recorded as OTHER. */
  private int maxEndpoints = 500;

  /**
   * Path patterns not timed at all, e.g. /health, /static/**. Unless set, Actuator's endpoints
   * (management.endpoints.web.base-path followed by /**) when Actuator serves them on the app's port.
   */
  private @Nullable List<String> exclude;

  /** How often the slow-endpoint report is logged; 0 turns it off. */
  private Duration reportInterval = Duration.ofMinutes(1);

  /** How many endpoints a report lists. */
  private int reportTop = 10;

  /** The report's format: table or json. */
  private String reportFormat = "table";

  /** How often running requests are checked against their budgets; by default derived from the budgets. */
  private @Nullable Duration watchdogInterval;

  /** The flag level that carries the worker thread's stack: warn, critical, exceeded or never. */
  private String stackTraceAt = "critical";

  /** A request header carrying the caller's own timeout, which can tighten a request's budget. */
  private @Nullable String deadlineHeader;

  /** Timeouts of the layers in front of the app (proxy, load balancer), by name. */
  private Map<String, Duration> upstreamTimeouts = new LinkedHashMap<>();

  /** Timeouts of the calls the app makes (HTTP clients, database), by name. */
  private Map<String, Duration> downstreamTimeouts = new LinkedHashMap<>();

  /**
   * Whether request-timing records http.server.requests: auto leaves it to Spring Boot Actuator when
   * Actuator records it (no request counted twice), on and off decide it.
   */
  private String requestsTimer = "auto";

  /**
   * The MDC keys whose values at a request's start its flag lines carry: Micrometer Tracing's trace
   * and span ids by default; empty turns it off.
   */
  private List<String> mdcKeys = new ArrayList<>(List.of("traceId", "spanId"));

  /**
   * The meters' names: spring (http.server.requests with Spring Boot's tags) or otel
   * (http.server.request.duration with OpenTelemetry's semantic-convention attributes).
   */
  private String metricNames = "spring";

  /**
   * Per endpoint and level, how many budget flags of a report interval are logged one by one; the
   * rest are counted in one summary line per endpoint.
   */
  private int flagLogLimit = 5;

  /**
   * Package prefixes of the application's own code, which tell where slow requests are stuck; by
   * default the packages of the {@code @SpringBootApplication} class (else guessed: the first frame
   * outside the JDK, containers, Spring and common libraries).
   */
  private List<String> appPackages = new ArrayList<>();

  /**
   * The time a request keeps to answer when a downstream call inherits its budget: such calls give
   * up at the remaining budget minus this. Unless set, the smaller of 250ms and half the budget.
   */
  private @Nullable Duration downstreamReserve;

  /**
   * With a Prometheus registry, whether request-timing's own request timer (when it records one)
   * is counted per thread and published to Prometheus directly ({@code auto}), or recorded into
   * Micrometer's timer ({@code off}).
   */
  private String prometheusDirect = "auto";

  /**
   * The request timer's histogram: compact (about 15 to 22 boundaries derived from the budgets) or
   * detailed (Micrometer's percentile histogram, about 70). What is set under
   * management.metrics.distribution.* for http.server.requests wins over either.
   */
  private String histogram = "compact";

  /** Downstream calls through Spring Boot's {@code RestClient} and {@code RestTemplate} builders. */
  private final Downstream downstream = new Downstream();

  /** Whether the HTTP clients built by Spring Boot's builders inherit the request's budget. */
  public static class Downstream {
    /** Whether calls give up when the incoming request's budget runs out (default true). */
    private boolean enabled = true;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }
  }

  /**
   * The configuration these properties describe.
   *
   * @throws IllegalArgumentException naming the property, the value and what is allowed
   */
  public RequestTimingConfig toConfig() {
    RequestTimingConfig.Builder b = RequestTimingConfig.builder();
    apply("budget", () -> b.budget(budget));
    apply("warn-at", () -> b.set("warn-at", warnAt));
    apply("critical-at", () -> b.set("critical-at", criticalAt));
    apply("endpoint-budgets", () -> b.set("endpoint-budgets", String.join(",", endpointBudgets)));
    apply("routes", () -> b.routes(routes.toArray(new String[0])));
    if (routeAttributes != null) {
      List<String> names = routeAttributes;
      apply("route-attributes", () -> b.routeAttributes(names.toArray(new String[0])));
    }
    b.maxEndpoints(maxEndpoints);
    if (exclude != null) {
      List<String> patterns = exclude;
      apply("exclude", () -> b.exclude(patterns.toArray(new String[0])));
    }
    b.reportInterval(reportInterval);
    b.reportTop(reportTop);
    apply("report-format", () -> b.reportFormat(reportFormat));
    if (watchdogInterval != null) {
      b.watchdogInterval(watchdogInterval);
    }
    apply("stack-trace-at", () -> b.stackTraceAt(stackTraceAt));
    b.deadlineHeader(deadlineHeader);
    upstreamTimeouts.forEach(b::upstreamTimeout);
    downstreamTimeouts.forEach(b::downstreamTimeout);
    apply("requests-timer", () -> b.requestsTimer(requestsTimer));
    b.mdcKeys(mdcKeys.toArray(new String[0]));
    apply("metric-names", () -> b.metricNames(metricNames));
    b.flagLogLimit(flagLogLimit);
    b.appPackages(appPackages.toArray(new String[0]));
    if (downstreamReserve != null) {
      Duration reserve = downstreamReserve;
      apply("downstream-reserve", () -> b.downstreamReserve(reserve));
    }
    apply("prometheus-direct", () -> b.prometheusDirect(prometheusDirect));
    apply("histogram", () -> b.histogram(histogram));
    return build(b);
  }

  private static void apply(String property, Runnable setter) {
    try {
      setter.run();
    } catch (IllegalArgumentException e) {
      throw prefixed(e);
    }
  }

  private static RequestTimingConfig build(RequestTimingConfig.Builder b) {
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw prefixed(e);
    }
  }

  /** The library names its init-params; Spring users know them as request-timing.* properties. */
  private static IllegalArgumentException prefixed(IllegalArgumentException e) {
    return new IllegalArgumentException("request-timing." + e.getMessage(), e);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Duration getBudget() {
    return budget;
  }

  public void setBudget(Duration budget) {
    this.budget = budget;
  }

  public String getWarnAt() {
    return warnAt;
  }

  public void setWarnAt(String warnAt) {
    this.warnAt = warnAt;
  }

  public String getCriticalAt() {
    return criticalAt;
  }

  public void setCriticalAt(String criticalAt) {
    this.criticalAt = criticalAt;
  }

  public List<String> getEndpointBudgets() {
    return endpointBudgets;
  }

  public void setEndpointBudgets(List<String> endpointBudgets) {
    this.endpointBudgets = endpointBudgets;
  }

  public List<String> getRoutes() {
    return routes;
  }

  public void setRoutes(List<String> routes) {
    this.routes = routes;
  }

  public @Nullable List<String> getRouteAttributes() {
    return routeAttributes;
  }

  public void setRouteAttributes(@Nullable List<String> routeAttributes) {
    this.routeAttributes = routeAttributes;
  }

  public int getMaxEndpoints() {
    return maxEndpoints;
  }

  public void setMaxEndpoints(int maxEndpoints) {
    this.maxEndpoints = maxEndpoints;
  }

  public @Nullable List<String> getExclude() {
    return exclude;
  }

  public void setExclude(@Nullable List<String> exclude) {
    this.exclude = exclude;
  }

  public Duration getReportInterval() {
    return reportInterval;
  }

  public void setReportInterval(Duration reportInterval) {
    this.reportInterval = reportInterval;
  }

  public int getReportTop() {
    return reportTop;
  }

  public void setReportTop(int reportTop) {
    this.reportTop = reportTop;
  }

  public String getReportFormat() {
    return reportFormat;
  }

  public void setReportFormat(String reportFormat) {
    this.reportFormat = reportFormat;
  }

  public @Nullable Duration getWatchdogInterval() {
    return watchdogInterval;
  }

  public void setWatchdogInterval(@Nullable Duration watchdogInterval) {
    this.watchdogInterval = watchdogInterval;
  }

  public String getStackTraceAt() {
    return stackTraceAt;
  }

  public void setStackTraceAt(String stackTraceAt) {
    this.stackTraceAt = stackTraceAt;
  }

  public @Nullable String getDeadlineHeader() {
    return deadlineHeader;
  }

  public void setDeadlineHeader(@Nullable String deadlineHeader) {
    this.deadlineHeader = deadlineHeader;
  }

  public Map<String, Duration> getUpstreamTimeouts() {
    return upstreamTimeouts;
  }

  public void setUpstreamTimeouts(Map<String, Duration> upstreamTimeouts) {
    this.upstreamTimeouts = upstreamTimeouts;
  }

  public Map<String, Duration> getDownstreamTimeouts() {
    return downstreamTimeouts;
  }

  public void setDownstreamTimeouts(Map<String, Duration> downstreamTimeouts) {
    this.downstreamTimeouts = downstreamTimeouts;
  }

  public String getRequestsTimer() {
    return requestsTimer;
  }

  public void setRequestsTimer(String requestsTimer) {
    this.requestsTimer = requestsTimer;
  }

  public List<String> getMdcKeys() {
    return mdcKeys;
  }

  public void setMdcKeys(List<String> mdcKeys) {
    this.mdcKeys = mdcKeys;
  }

  public String getMetricNames() {
    return metricNames;
  }

  public void setMetricNames(String metricNames) {
    this.metricNames = metricNames;
  }

  public int getFlagLogLimit() {
    return flagLogLimit;
  }

  public void setFlagLogLimit(int flagLogLimit) {
    this.flagLogLimit = flagLogLimit;
  }

  public @Nullable Duration getDownstreamReserve() {
    return downstreamReserve;
  }

  public void setDownstreamReserve(Duration downstreamReserve) {
    this.downstreamReserve = downstreamReserve;
  }

  public String getHistogram() {
    return histogram;
  }

  public void setHistogram(String histogram) {
    this.histogram = histogram;
  }

  public String getPrometheusDirect() {
    return prometheusDirect;
  }

  public void setPrometheusDirect(String prometheusDirect) {
    this.prometheusDirect = prometheusDirect;
  }

  public Downstream getDownstream() {
    return downstream;
  }

  public List<String> getAppPackages() {
    return appPackages;
  }

  public void setAppPackages(List<String> appPackages) {
    this.appPackages = appPackages;
  }
}
