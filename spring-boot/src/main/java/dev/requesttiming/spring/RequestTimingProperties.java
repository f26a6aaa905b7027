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
 * The {@code request-timing.*} properties: the filter's parameters (the README's configuration table)
 * under Spring's binding, e.g.
 *
 * <pre>
 * request-timing.budget=30s
 * request-timing.endpoint-budgets=POST /api/chat=120s, /api/reports/**=60s
 * request-timing.downstream-timeouts.rag=25s
 * </pre>
 *
 * <p>Each property is its parameter: same name, same default (but for requests-timer, auto here, and
 * exclude, Actuator's endpoints here), same description, read by the same parser ({@link #toConfig()}
 * hands each to {@code RequestTimingConfig.Builder.set}); {@code RequestTimingPropertiesTest} holds
 * them to the core's table.
 */
@ConfigurationProperties("request-timing")
public class RequestTimingProperties {

  /** Whether request-timing times requests at all. */
  private boolean enabled = true;
  /** the worker-timeout budget of a request. */
  private Duration budget = Duration.ofSeconds(30);
  /** the fraction of the budget at which a running request is flagged warn: 0.5 or 50%. */
  private String warnAt = "0.5";
  /** the fraction of the budget at which a running request is flagged critical: 0.8 or 80%. */
  private String criticalAt = "0.8";
  /** per-endpoint budgets, POST /api/chat=120s, /api/reports/**=60s. */
  private List<String> endpointBudgets = new ArrayList<>();
  /** templates that name paths, /api/users/{id}, /files/**. */
  private List<String> routes = new ArrayList<>();
  /** request attributes carrying the route template. */
  private List<String> routeAttributes = new ArrayList<>(List.of("dev.requesttiming.route", "http.route", "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern"));
  /** distinct endpoints before new ones become OTHER. */
  private int maxEndpoints = 500;
  /** paths not timed, /metrics, /health, /static/** (unless set: Actuator's endpoints when served on the app's port). */
  private @Nullable List<String> exclude = null;
  /** how often the slow-endpoint report is logged; 0 turns it off. */
  private Duration reportInterval = Duration.ofMinutes(1);
  /** how many endpoints a report lists. */
  private int reportTop = 10;
  /** the report's format: table or json. */
  private String reportFormat = "table";
  /** how often running requests are checked against their budgets. */
  private @Nullable Duration watchdogInterval = null;
  /** the flag level that carries the worker's stack (warn, critical, exceeded, never). */
  private String stackTraceAt = "critical";
  /** a request header with the caller's own timeout. */
  private @Nullable String deadlineHeader = null;
  /** nginx=60s, alb=60s: the layers in front of the app, for the timeout audit; a request that reached a worker after the shortest of them had passed is counted abandoned. */
  private Map<String, Duration> upstreamTimeouts = new LinkedHashMap<>();
  /** alb=60s: how long the layers in front keep an idle connection to the app open; the app server's keep-alive must be longer, or requests sent on a connection it just closed fail with 502. */
  private Map<String, Duration> upstreamIdleTimeouts = new LinkedHashMap<>();
  /** rag=25s, db=5s: the calls the app makes, for the timeout audit. */
  private Map<String, Duration> downstreamTimeouts = new LinkedHashMap<>();
  /** whether to record http.server.requests: on, off, or auto (off when Spring's observation filter records it). */
  private String requestsTimer = "auto";
  /** MDC keys read at a request's start whose values its flag lines carry (at most 4; empty: none). */
  private List<String> mdcKeys = new ArrayList<>(List.of("traceId", "spanId"));
  /** spring: http.server.requests with Spring Boot's tags; otel: http.server.request.duration with OpenTelemetry's attributes. */
  private String metricNames = "spring";
  /** per endpoint, level and report interval, the flags logged one by one; the rest go into a summary line. */
  private int flagLogLimit = 5;
  /** packages or classes of your code, com.example, which tell where slow requests are stuck. */
  private List<String> appPackages = new ArrayList<>();
  /** the time a request keeps to answer when a downstream call inherits its budget (at most half the budget). */
  private @Nullable Duration downstreamReserve = null;
  /** with a PrometheusMeterRegistry: auto counts our request timer per thread and publishes the same series to Prometheus directly; off records into Micrometer's timer. */
  private String prometheusDirect = "auto";
  /** the request timer's buckets: compact, derived from the budgets (about 15–22); detailed, Micrometer's percentile histogram (about 70) plus the budget levels. */
  private String histogram = "compact";
  /** a header where the proxy in front stamps the time it received the request (X-Request-Start): the queue time, and budgets that count from there; only behind a proxy that overwrites it. */
  private @Nullable String requestStartHeader = null;
  /** answer 503 with Retry-After, without running the app, a request whose budget was spent before it started. */
  private Boolean shedSpent = false;
  /** answer 503 with Retry-After, without running the app, a request that starts late (after a wait for a worker, or with its caller's deadline) with less of its budget left than its endpoint typically takes. */
  private Boolean shedLate = false;
  /** while other endpoints' requests wait for workers, the share of the worker limit one endpoint may hold: 0.5 or 50%; its requests past that are answered 503 with Retry-After at once, so the other endpoints find workers. */
  private @Nullable String endpointShare = null;
  /** the most requests in flight at once per endpoint pattern, POST /api/chat=4, GET /reports/**=2, on any pool (virtual threads too); past it, 503 with Retry-After at once. */
  private List<String> endpointLimits = new ArrayList<>();
  /** the most requests served at once where the container does not say (a bulkhead, a semaphore, virtual threads). */
  private @Nullable Integer workerLimit = null;
  /** the share of the worker limit busy at which the workers count as saturated: 0.9 or 90%. */
  private String saturatedAt = "0.9";
  /** how many of the latest requests that passed their warn level the live view keeps once they finished; 0: none. */
  private int recentRequests = 100;
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
   * The configuration these properties describe: each property read by its parameter's parser.
   *
   * @throws IllegalArgumentException naming the property, the value and what is allowed
   */
  public RequestTimingConfig toConfig() {
    Map<String, @Nullable String> texts = new LinkedHashMap<>();
    texts.put("budget", budget.toString());
    texts.put("warn-at", warnAt);
    texts.put("critical-at", criticalAt);
    texts.put("endpoint-budgets", String.join(",", endpointBudgets));
    texts.put("routes", String.join(",", routes));
    texts.put("route-attributes", String.join(",", routeAttributes));
    texts.put("max-endpoints", Integer.toString(maxEndpoints));
    texts.put("exclude", exclude == null ? null : String.join(",", exclude));
    texts.put("report-interval", reportInterval.toString());
    texts.put("report-top", Integer.toString(reportTop));
    texts.put("report-format", reportFormat);
    texts.put("watchdog-interval", watchdogInterval == null ? null : watchdogInterval.toString());
    texts.put("stack-trace-at", stackTraceAt);
    texts.put("deadline-header", deadlineHeader);
    texts.put("upstream-timeouts", pairs(upstreamTimeouts));
    texts.put("upstream-idle-timeouts", pairs(upstreamIdleTimeouts));
    texts.put("downstream-timeouts", pairs(downstreamTimeouts));
    texts.put("requests-timer", requestsTimer);
    texts.put("mdc-keys", String.join(",", mdcKeys));
    texts.put("metric-names", metricNames);
    texts.put("flag-log-limit", Integer.toString(flagLogLimit));
    texts.put("app-packages", String.join(",", appPackages));
    texts.put("downstream-reserve", downstreamReserve == null ? null : downstreamReserve.toString());
    texts.put("prometheus-direct", prometheusDirect);
    texts.put("histogram", histogram);
    texts.put("request-start-header", requestStartHeader);
    texts.put("shed-spent", shedSpent.toString());
    texts.put("shed-late", shedLate.toString());
    texts.put("endpoint-share", endpointShare);
    texts.put("endpoint-limits", String.join(",", endpointLimits));
    texts.put("worker-limit", workerLimit == null ? null : workerLimit.toString());
    texts.put("saturated-at", saturatedAt);
    texts.put("recent-requests", Integer.toString(recentRequests));
    RequestTimingConfig.Builder builder = RequestTimingConfig.builder();
    try {
      texts.forEach((name, text) -> {
        if (text != null) {
          builder.set(name, text);
        }
      });
      return builder.build();
    } catch (IllegalArgumentException e) {
      // the library names its parameters; Spring users know them as request-timing.* properties
      throw new IllegalArgumentException("request-timing." + e.getMessage(), e);
    }
  }

  private static String pairs(Map<String, Duration> timeouts) {
    List<String> pairs = new ArrayList<>();
    timeouts.forEach((layer, timeout) -> pairs.add(layer + "=" + timeout));
    return String.join(",", pairs);
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Downstream getDownstream() {
    return downstream;
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

  public List<String> getRouteAttributes() {
    return routeAttributes;
  }

  public void setRouteAttributes(List<String> routeAttributes) {
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

  public Map<String, Duration> getUpstreamIdleTimeouts() {
    return upstreamIdleTimeouts;
  }

  public void setUpstreamIdleTimeouts(Map<String, Duration> upstreamIdleTimeouts) {
    this.upstreamIdleTimeouts = upstreamIdleTimeouts;
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

  public List<String> getAppPackages() {
    return appPackages;
  }

  public void setAppPackages(List<String> appPackages) {
    this.appPackages = appPackages;
  }

  public @Nullable Duration getDownstreamReserve() {
    return downstreamReserve;
  }

  public void setDownstreamReserve(@Nullable Duration downstreamReserve) {
    this.downstreamReserve = downstreamReserve;
  }

  public String getPrometheusDirect() {
    return prometheusDirect;
  }

  public void setPrometheusDirect(String prometheusDirect) {
    this.prometheusDirect = prometheusDirect;
  }

  public String getHistogram() {
    return histogram;
  }

  public void setHistogram(String histogram) {
    this.histogram = histogram;
  }

  public @Nullable String getRequestStartHeader() {
    return requestStartHeader;
  }

  public void setRequestStartHeader(@Nullable String requestStartHeader) {
    this.requestStartHeader = requestStartHeader;
  }

  public Boolean getShedSpent() {
    return shedSpent;
  }

  public void setShedSpent(Boolean shedSpent) {
    this.shedSpent = shedSpent;
  }

  public Boolean getShedLate() {
    return shedLate;
  }

  public void setShedLate(Boolean shedLate) {
    this.shedLate = shedLate;
  }

  public @Nullable String getEndpointShare() {
    return endpointShare;
  }

  public void setEndpointShare(@Nullable String endpointShare) {
    this.endpointShare = endpointShare;
  }

  public List<String> getEndpointLimits() {
    return endpointLimits;
  }

  public void setEndpointLimits(List<String> endpointLimits) {
    this.endpointLimits = endpointLimits;
  }

  public @Nullable Integer getWorkerLimit() {
    return workerLimit;
  }

  public void setWorkerLimit(@Nullable Integer workerLimit) {
    this.workerLimit = workerLimit;
  }

  public String getSaturatedAt() {
    return saturatedAt;
  }

  public void setSaturatedAt(String saturatedAt) {
    this.saturatedAt = saturatedAt;
  }

  public int getRecentRequests() {
    return recentRequests;
  }

  public void setRecentRequests(int recentRequests) {
    this.recentRequests = recentRequests;
  }
}
