package dev.requesttiming.core.internal.config;

import dev.requesttiming.core.RequestTimingConfig.Histogram;
import dev.requesttiming.core.RequestTimingConfig.MetricNames;
import dev.requesttiming.core.RequestTimingConfig.PrometheusDirect;
import dev.requesttiming.core.RequestTimingConfig.ReportFormat;
import dev.requesttiming.core.RequestTimingConfig.RequestsTimer;
import dev.requesttiming.core.RequestTimingConfig.StackTraceAt;
import dev.requesttiming.core.internal.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The table of configuration parameters, in the order the start-up line and the
 * configuration reference list them: each with its default, how its text is read, its check and what it means. The
 * builder's {@code set}, the init-params, the start-up line, the configuration reference's table and
 * the Spring Boot properties all follow from it (the last two are held to it by tests). Adding a
 * parameter is a line here, its use, and its tests.
 */
public final class Parameters {

  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  private static final List<Parameter<?>> ALL = new ArrayList<>();

  public static final Parameter<Duration> BUDGET =
      add("budget", Duration.ofSeconds(30), "`30s`", "the worker-timeout budget of a request",
          Values::duration, Parameters::positive, Durations::duration);
  public static final Parameter<Double> WARN_AT =
      add("warn-at", 0.5, "`0.5`", "the fraction of the budget at which a running request is flagged warn: 0.5 or 50%",
          Values::fraction, (n, v) -> require(v > 0 && v < 1, n + " must be above 0 and below 1: " + v), Parameters::percent);
  public static final Parameter<Double> CRITICAL_AT =
      add("critical-at", 0.8, "`0.8`", "the fraction of the budget at which a running request is flagged critical: 0.8 or 80%",
          Values::fraction, (n, v) -> require(v > 0 && v <= 1, n + " must be above 0 and at most 1: " + v), Parameters::percent);
  public static final Parameter<List<EndpointBudgets.Rule>> ENDPOINT_BUDGETS =
      add(new Parameter<>("endpoint-budgets", List.class, List.of(), "", "per-endpoint budgets, `POST /api/chat=120s, /api/reports/**=60s`",
          (n, t) -> Values.list(t).stream().map(i -> EndpointBudgets.parseRule(n, i)).collect(Collectors.toUnmodifiableList()),
          (n, rules) -> rules.forEach(r -> positive(n, r.budget())), s -> joined(s.endpointBudgets().rules()), r -> ""));
  public static final Parameter<List<RoutePattern>> ROUTES =
      add(new Parameter<>("routes", List.class, List.of(), "", "templates that name paths, `/api/users/{id}, /files/**`",
          Parameters::patterns, (n, v) -> {}, s -> joined(s.routes()), r -> ""));
  public static final Parameter<List<String>> ROUTE_ATTRIBUTES =
      add("route-attributes",
          List.of("dev.requesttiming.route", "http.route", "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern"),
          "`dev.requesttiming.route, http.route, org.springframework.web.servlet.HandlerMapping.bestMatchingPattern`",
          "request attributes carrying the route template",
          (n, t) -> Values.list(t),
          (n, names) -> require(names.stream().noneMatch(String::isBlank), n + " must not contain a blank name"),
          names -> String.join(", ", names));
  public static final Parameter<Integer> MAX_ENDPOINTS =
      add("max-endpoints", 500, "`500`", "distinct endpoints before new ones become `OTHER`",
          Values::positiveInt, (n, v) -> require(v >= 1 && v <= 100_000, n + " must be between 1 and 100000: " + v),
          String::valueOf);
  public static final Parameter<List<RoutePattern>> EXCLUDE =
      add("exclude", List.of(), "(in Spring Boot: Actuator's `/actuator/**`)", "paths not timed, `/metrics, /health, /static/**`",
          Parameters::patterns, (n, v) -> {}, Parameters::joined);
  public static final Parameter<Duration> REPORT_INTERVAL =
      add("report-interval", Duration.ofMinutes(1), "`1m`", "how often the slow-endpoint report is logged; `0` turns it off",
          Values::duration, Parameters::reportInterval, d -> d.isZero() ? "0 (off)" : Durations.duration(d));
  public static final Parameter<Integer> REPORT_TOP =
      add("report-top", 10, "`10`", "how many endpoints a report lists",
          Values::positiveInt, (n, v) -> require(v >= 1 && v <= 1000, n + " must be between 1 and 1000: " + v),
          String::valueOf);
  public static final Parameter<Integer> REPORT_SITES =
      add("report-sites", 3, "`3`", "how many places where an endpoint's slow requests were stuck a report lists (1 to 16)",
          Values::positiveInt, (n, v) -> require(v <= 16, n + " must be between 1 and 16: " + v), String::valueOf);
  public static final Parameter<ReportFormat> REPORT_FORMAT =
      add("report-format", ReportFormat.TABLE, "`table`", "the report's format: `table` or `json`",
          (n, t) -> Values.mode(n, t, ReportFormat.class, "a report format"), (n, v) -> {}, Parameters::text);
  public static final Parameter<@Nullable Duration> WATCHDOG_INTERVAL =
      Parameters.<@Nullable Duration>add(new Parameter<>("watchdog-interval", Duration.class, null, "warn-at × smallest budget ÷ 20, in [10ms, 1s]",
          "how often running requests are checked against their budgets", Values::duration,
          (n, v) -> require(v == null || (v.compareTo(Duration.ofMillis(1)) >= 0 && v.compareTo(Duration.ofMinutes(1)) <= 0),
              n + " must be between 1ms and 1m: " + (v == null ? "" : Durations.duration(v))),
          s -> Durations.duration(s.watchdogInterval()), d -> ""));
  public static final Parameter<@Nullable FlagLevel> STACK_TRACE_AT =
      Parameters.<@Nullable FlagLevel>add(new Parameter<>("stack-trace-at", StackTraceAt.class, FlagLevel.CRITICAL, "`critical`",
          "the flag level that carries the worker's stack (`warn`, `critical`, `exceeded`, `never`)",
          FlagLevel::parseOrNever, (n, v) -> {}, null, l -> l == null ? "never" : l.text()));
  public static final Parameter<@Nullable String> DEADLINE_HEADER =
      Parameters.<@Nullable String>add(new Parameter<>("deadline-header", String.class, null, "", "a request header with the caller's own timeout",
          (n, t) -> t.isBlank() ? null : t.trim(),
          (n, v) -> require(v == null || HEADER_NAME.matcher(v).matches(), n + ": '" + v + "' is not a valid HTTP header name"),
          null, h -> h == null ? "" : h));
  public static final Parameter<Map<String, Duration>> UPSTREAM_TIMEOUTS =
      add("upstream-timeouts", Map.of(), "", "`nginx=60s, alb=60s`: the layers in front of the app, for the timeout audit; a request that"
              + " reached a worker after the shortest of them had passed is counted abandoned",
          Values::durationsByKey, Parameters::positiveTimeouts, Parameters::joinedDurations);
  public static final Parameter<Map<String, Duration>> UPSTREAM_IDLE_TIMEOUTS =
      add("upstream-idle-timeouts", Map.of(), "", "`alb=60s`: how long the layers in front keep an idle connection to the app"
              + " open; the app server's keep-alive must be longer, or requests sent on a connection it just closed fail with 502",
          Values::durationsByKey, Parameters::positiveTimeouts, Parameters::joinedDurations);
  public static final Parameter<Map<String, Duration>> DOWNSTREAM_TIMEOUTS =
      add("downstream-timeouts", Map.of(), "", "`rag=25s, db=5s`: the calls the app makes, for the timeout audit",
          Values::durationsByKey, Parameters::positiveTimeouts, Parameters::joinedDurations);
  public static final Parameter<RequestsTimer> REQUESTS_TIMER =
      add("requests-timer", RequestsTimer.ON, "`on` (`auto` in Spring Boot)",
          "whether to record `http.server.requests`: `on`, `off`, or `auto` (off when Spring's observation filter records it)",
          (n, t) -> Values.mode(n, t, RequestsTimer.class, "a mode"), (n, v) -> {}, Parameters::text);
  public static final Parameter<List<String>> MDC_KEYS =
      add("mdc-keys", List.of("traceId", "spanId"), "`traceId, spanId`",
          "MDC keys read at a request's start whose values its flag lines carry (at most 4; empty: none)",
          (n, t) -> Values.list(t), Parameters::mdcKeys, keys -> String.join(", ", keys));
  public static final Parameter<MetricNames> METRIC_NAMES =
      add("metric-names", MetricNames.SPRING, "`spring`",
          "`spring`: `http.server.requests` with Spring Boot's tags; `otel`: `http.server.request.duration` with OpenTelemetry's attributes",
          (n, t) -> Values.mode(n, t, MetricNames.class, "a naming"), (n, v) -> {}, Parameters::text);
  public static final Parameter<Integer> FLAG_LOG_LIMIT =
      add("flag-log-limit", 5, "`5`",
          "per endpoint, level and report interval, the flags logged one by one; the rest go into a summary line",
          Values::wholeNumber, (n, v) -> require(v >= 0 && v <= 10_000, n + " must be between 0 and 10000: " + v),
          String::valueOf);
  public static final Parameter<List<String>> APP_PACKAGES =
      add("app-packages", List.of(), "(in a WAR, the packages of `/WEB-INF/classes`; in Spring Boot, the `@SpringBootApplication` class's; else guessed)",
          "packages or classes of your code, `com.example`, which tell where slow requests are stuck",
          (n, t) -> Values.list(t), Parameters::packages, p -> p.isEmpty() ? "(guessed)" : String.join(", ", p));
  public static final Parameter<@Nullable Duration> DOWNSTREAM_RESERVE =
      Parameters.<@Nullable Duration>add(new Parameter<>("downstream-reserve", Duration.class, null, "`250ms` or half the budget, whichever is smaller",
          "the time a request keeps to answer when a downstream call inherits its budget (at most half the budget)",
          Values::duration, (n, v) -> {}, s -> Durations.duration(s.downstreamReserve()), d -> ""));
  public static final Parameter<PrometheusDirect> PROMETHEUS_DIRECT =
      add("prometheus-direct", PrometheusDirect.AUTO, "`auto`",
          "with a `PrometheusMeterRegistry`: `auto` counts our request timer per thread and publishes the same series to"
              + " Prometheus directly; `off` records into Micrometer's timer",
          (n, t) -> Values.mode(n, t, PrometheusDirect.class, "a mode"), (n, v) -> {}, Parameters::text);
  public static final Parameter<Histogram> HISTOGRAM =
      add("histogram", Histogram.COMPACT, "`compact`",
          "the request timer's buckets: `compact`, derived from the budgets (about 15–22); `detailed`, Micrometer's"
              + " percentile histogram (about 70) plus the budget levels",
          (n, t) -> Values.mode(n, t, Histogram.class, "a histogram"), (n, v) -> {}, Parameters::text);

  public static final Parameter<@Nullable String> REQUEST_START_HEADER =
      Parameters.<@Nullable String>add(new Parameter<>("request-start-header", String.class, null, "",
          "a header where the proxy in front stamps the time it received the request (`X-Request-Start`): the queue"
              + " time, and budgets that count from there; only behind a proxy that overwrites it",
          (n, t) -> t.isBlank() ? null : t.trim(),
          (n, v) -> require(v == null || HEADER_NAME.matcher(v).matches(), n + ": '" + v + "' is not a valid HTTP header name"),
          null, h -> h == null ? "" : h));
  public static final Parameter<Boolean> SHED_SPENT =
      add("shed-spent", false, "`false`",
          "answer `503` with `Retry-After`, without running the app, a request whose budget was spent before it started",
          Values::bool, (n, v) -> {}, String::valueOf);
  public static final Parameter<Boolean> SHED_LATE =
      add("shed-late", false, "`false`",
          "answer `503` with `Retry-After`, without running the app, a request that starts late (after a wait for a worker,"
              + " or with its caller's deadline) with less of its budget left than its endpoint typically takes",
          Values::bool, (n, v) -> {}, String::valueOf);
  public static final Parameter<@Nullable Double> ENDPOINT_SHARE =
      Parameters.<@Nullable Double>add(new Parameter<>("endpoint-share", Double.class, null, "(off)",
          "while other endpoints' requests wait for workers, the share of the worker limit one endpoint may hold: 0.5 or 50%; its"
              + " requests past that are answered `503` with `Retry-After` at once, so the other endpoints find workers",
          Values::fraction,
          (n, v) -> require(v == null || (v > 0 && v < 1), n + " must be above 0 and below 1: " + v),
          null, v -> v == null ? "(off)" : percent(v)));
  public static final Parameter<List<EndpointLimits.Rule>> ENDPOINT_LIMITS =
      add(new Parameter<>("endpoint-limits", List.class, List.of(), "",
          "the most requests in flight at once per endpoint pattern, `POST /api/chat=4, GET /reports/**=2`, on any pool"
              + " (virtual threads too); past it, `503` with `Retry-After` at once",
          (n, t) -> Values.list(t).stream().map(i -> EndpointLimits.parseRule(n, i)).collect(Collectors.toUnmodifiableList()),
          (n, v) -> {}, s -> joined(s.endpointLimits().rules()), r -> ""));
  public static final Parameter<@Nullable Integer> WORKER_LIMIT =
      Parameters.<@Nullable Integer>add(new Parameter<>("worker-limit", Integer.class, null, "(detected from Jetty's or Tomcat's pool)",
          "the most requests served at once where the container does not say (a bulkhead, a semaphore, virtual threads)",
          Values::positiveInt, (n, v) -> require(v == null || v <= 1_000_000, n + " must be between 1 and 1000000: " + v),
          null, l -> l == null ? "(detected)" : l.toString()));
  public static final Parameter<Double> SATURATED_AT =
      add("saturated-at", 0.9, "`0.9`", "the share of the worker limit busy at which the workers count as saturated: 0.9 or 90%",
          Values::fraction, (n, v) -> require(v > 0 && v <= 1, n + " must be above 0 and at most 1: " + v), Parameters::percent);
  public static final Parameter<Integer> RECENT_REQUESTS =
      add("recent-requests", 100, "`100`",
          "how many of the latest requests that passed their warn level the live view keeps once they finished; 0: none",
          Values::wholeNumber, (n, v) -> require(v >= 0 && v <= 10_000, n + " must be between 0 and 10000: " + v),
          String::valueOf);

  private Parameters() {}

  /** Every parameter, in table order. */
  public static List<Parameter<?>> all() {
    return List.copyOf(ALL);
  }

  /** The parameter of that name (any case, trimmed). */
  public static Parameter<?> named(String name) {
    String key = name.trim().toLowerCase(Locale.ROOT);
    for (Parameter<?> p : ALL) {
      if (p.name().equals(key)) {
        return p;
      }
    }
    List<String> known = ALL.stream().map(Parameter::name).collect(Collectors.toUnmodifiableList());
    throw new IllegalArgumentException("unknown parameter '" + name + "'; known: " + String.join(", ", known));
  }

  /** The configuration reference's table (docs/configuration.md), in Markdown. */
  public static String markdownTable() {
    StringBuilder out = new StringBuilder("| parameter | default | meaning |\n|---|---|---|\n");
    for (Parameter<?> p : ALL) {
      String defaultText = p.defaultText().isEmpty() ? "" : p.defaultText() + " ";
      out.append("| `").append(p.name()).append("` | ").append(defaultText).append("| ").append(p.description()).append(" |\n");
    }
    return out.toString();
  }

  /** A mode as configuration writes it: {@code auto}, {@code json}. */
  public static String text(Enum<?> mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  private static <T> Parameter<T> add(
      String name,
      T defaultValue,
      String defaultText,
      String description,
      BiFunction<String, String, T> parser,
      BiConsumer<String, T> check,
      Function<T, String> formatter) {
    return add(new Parameter<>(name, typeOf(defaultValue), defaultValue, defaultText, description, parser, check, null, formatter));
  }

  /** The type a user writes a value in, from its default: a list or a map by its interface. */
  private static Class<?> typeOf(Object defaultValue) {
    if (defaultValue instanceof List) {
      return List.class;
    }
    if (defaultValue instanceof Map) {
      return Map.class;
    }
    return defaultValue instanceof Enum<?> mode ? mode.getDeclaringClass() : defaultValue.getClass();
  }

  private static <T> Parameter<T> add(Parameter<T> parameter) {
    ALL.add(parameter);
    return parameter;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  private static void positive(String name, Duration value) {
    require(!value.isNegative() && !value.isZero(), name + " must be positive: " + Durations.duration(value));
  }

  private static void reportInterval(String name, Duration value) {
    require(!value.isNegative(), name + " must be zero (off) or positive: " + Durations.duration(value));
    require(value.isZero() || value.compareTo(Duration.ofSeconds(1)) >= 0,
        name + " must be 0 (off) or at least 1s: " + Durations.duration(value));
  }

  private static void positiveTimeouts(String name, Map<String, Duration> timeouts) {
    timeouts.forEach((layer, timeout) -> positive(name + " '" + layer + "'", timeout));
  }

  private static void mdcKeys(String name, List<String> keys) {
    require(keys.size() <= 4, name + ": at most 4 keys, not " + keys.size() + ": " + String.join(", ", keys));
    require(keys.stream().noneMatch(String::isBlank), name + " must not contain a blank key");
  }

  private static void packages(String name, List<String> packages) {
    for (String p : packages) {
      require(!p.isBlank() && !p.contains("/"), name + ": '" + p + "' is not a package name; use e.g. com.example");
    }
  }

  private static List<RoutePattern> patterns(String name, String text) {
    return Values.list(text).stream().map(i -> RoutePattern.parse(name, i)).collect(Collectors.toUnmodifiableList());
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
    new TreeMap<>(map).forEach((k, v) -> texts.add(k + "=" + Durations.duration(v)));
    return String.join(", ", texts);
  }
}
