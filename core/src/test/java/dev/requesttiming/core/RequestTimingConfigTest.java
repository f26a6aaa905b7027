package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.requesttiming.core.internal.config.EndpointBudgets;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Parameter;
import dev.requesttiming.core.internal.config.Parameters;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTimingConfigTest {

  /**
   * The typed builder is complete: every parameter of the table has a method named after it (in
   * the singular where it adds one named pair, {@code endpointBudget}), and one that takes its value
   * typed where the value is not text.
   */
  @Test
  void everyParameter_hasATypedBuilderMethod() {
    for (Parameter<?> p : Parameters.all()) {
      String camel = camelCase(p.name());
      List<Method> methods = Arrays.stream(RequestTimingConfig.Builder.class.getMethods())
          .filter(m -> m.getName().equals(camel) || m.getName().equals(camel.substring(0, camel.length() - 1)))
          .toList();
      assertThat(methods).as(p.name()).isNotEmpty();
      Class<?> valueType = methods.get(0).getParameterTypes()[methods.get(0).getParameterCount() - 1];
      if (p.type() != String.class && p.type() != List.class) {
        assertThat(valueType).as(p.name() + "'s builder method takes its value typed").isNotEqualTo(String.class);
      }
    }
  }

  /** A typed method and the text of the same value give the same configuration. */
  @Test
  void typedMethods_andTheirText_agree() {
    RequestTimingConfig typed = RequestTimingConfig.builder()
        .stackTraceAt(RequestTimingConfig.StackTraceAt.NEVER)
        .upstreamIdleTimeout("alb", Duration.ofSeconds(60))
        .requestStartHeader("X-Request-Start")
        .workerLimit(40)
        .saturatedAt(0.75)
        .recentRequests(20)
        .routes("/a/{id}").routes("/b/{id}")
        .build();
    RequestTimingConfig text = RequestTimingConfig.fromMap(Map.of(
        "stack-trace-at", "never", "upstream-idle-timeouts", "alb=60s", "request-start-header", "X-Request-Start",
        "worker-limit", "40", "saturated-at", "75%", "recent-requests", "20", "routes", "/b/{id}"));
    assertThat(typed.toString()).isEqualTo(text.toString());
  }

  private static String camelCase(String name) {
    StringBuilder out = new StringBuilder();
    for (String part : name.split("-")) {
      out.append(out.length() == 0 ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
    }
    return out.toString();
  }

  private static RequestTimingConfig parse(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return RequestTimingConfig.fromMap(map);
  }

  private static void assertRejected(String parameter, String value, String message) {
    assertThatThrownBy(() -> parse(parameter, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void defaults() {
    RequestTimingConfig c = RequestTimingConfig.defaults();
    assertThat(c.budget()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.settings().warnAt()).isEqualTo(0.5);
    assertThat(c.settings().criticalAt()).isEqualTo(0.8);
    assertThat(c.settings().maxEndpoints()).isEqualTo(500);
    assertThat(c.settings().reportInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.settings().reportTop()).isEqualTo(10);
    assertThat(c.settings().reportFormat()).isEqualTo(RequestTimingConfig.ReportFormat.TABLE);
    assertThat(c.settings().stackTraceAt()).isEqualTo(FlagLevel.CRITICAL);
    assertThat(c.routeAttributes())
        .containsExactly(
            "dev.requesttiming.route",
            "http.route",
            "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern");
    assertThat(c.deadlineHeader()).isNull();
    // warn-at 0.5 × 30s ÷ 20 = 750ms
    assertThat(c.settings().watchdogInterval()).isEqualTo(Duration.ofMillis(750));
  }

  @ParameterizedTest
  @CsvSource({"30s,30000", "1500ms,1500", "2m,120000", "PT30S,30000", "pt2m,120000", "1.5s,1500", "1h,3600000", "' 45 s ',45000"})
  void budget_readsDurations(String text, long millis) {
    assertThat(parse("budget", text).budget()).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource({"abc", "30", "30 sec", "-5s", "''", "PTX"})
  void budget_notADuration_isRejected(String text) {
    assertRejected(
        "budget", text, "budget: '" + text + "' is not a duration; use e.g. 30s, 1500ms, 2m, PT30S");
  }

  @Test
  void budget_zeroOrNegative_isRejected() {
    assertRejected("budget", "0s", "budget must be positive: 0s");
    assertThatThrownBy(() -> RequestTimingConfig.builder().budget(Duration.ofSeconds(-5)).build())
        .hasMessage("budget must be positive: -5s");
  }

  @Test
  void fractions_readDecimalsAndPercentages() {
    RequestTimingConfig c = parse("warn-at", "60%", "critical-at", "0.9");
    assertThat(c.settings().warnAt()).isEqualTo(0.6);
    assertThat(c.settings().criticalAt()).isEqualTo(0.9);
  }

  @Test
  void fractions_badValues_areRejected() {
    assertRejected("warn-at", "half", "warn-at: 'half' is not a fraction; use e.g. 0.8 or 80%");
    assertRejected("warn-at", "1.5", "warn-at must be above 0 and below 1: 1.5");
    assertRejected("critical-at", "120%", "critical-at must be above 0 and at most 1: 1.2");
    assertThatThrownBy(() -> parse("warn-at", "0.9", "critical-at", "0.8"))
        .hasMessage("warn-at (0.9) must be below critical-at (0.8)");
  }

  @Test
  void endpointBudgets_readRulesWithOptionalMethod() {
    RequestTimingConfig c =
        parse("endpoint-budgets", "POST /api/chat=120s, /api/reports/**=60s\n/api/users/{id}=5s");
    EndpointBudgets b = c.settings().endpointBudgets();
    assertThat(b.budgetFor(HttpMethod.POST, "/api/chat")).isEqualTo(Duration.ofSeconds(120));
    assertThat(b.budgetFor(HttpMethod.GET, "/api/chat")).isEqualTo(Duration.ofSeconds(30));
    assertThat(b.budgetFor(HttpMethod.GET, "/api/reports/monthly/{id}")).isEqualTo(Duration.ofSeconds(60));
    assertThat(b.budgetFor(HttpMethod.GET, "/api/users/{id}")).isEqualTo(Duration.ofSeconds(5));
    assertThat(b.largest()).isEqualTo(Duration.ofSeconds(120));
    assertThat(b.smallest()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void endpointBudgets_badRules_areRejected() {
    assertRejected(
        "endpoint-budgets",
        "/api/chat",
        "endpoint-budgets: '/api/chat' is not a [METHOD ]/path=duration rule; use e.g. POST /api/chat=120s");
    assertRejected(
        "endpoint-budgets",
        "FETCH /api/chat=2s",
        "endpoint-budgets: 'FETCH' is not an HTTP method; use GET, POST, PUT, PATCH, DELETE, ...");
    assertRejected(
        "endpoint-budgets",
        "/api/chat=soon",
        "endpoint-budgets: 'soon' is not a duration; use e.g. 30s, 1500ms, 2m, PT30S");
    assertRejected(
        "endpoint-budgets",
        "api/chat=2s",
        "endpoint-budgets: 'api/chat' must start with '/', e.g. /api/users/{id} or /static/**");
  }

  @Test
  void routesAndExclude_readPatterns() {
    RequestTimingConfig c = parse("routes", "/api/users/{id}, /files/**", "exclude", "/metrics,/health");
    assertThat(c.settings().routes()).extracting(Object::toString).containsExactly("/api/users/{id}", "/files/**");
    assertThat(c.settings().exclude()).extracting(Object::toString).containsExactly("/metrics", "/health");
  }

  @Test
  void routes_doubleStarInTheMiddle_isRejected() {
    assertRejected("routes", "/a/**/b", "routes: '/a/**/b' may use ** only as its last segment");
    assertRejected("exclude", "metrics", "exclude: 'metrics' must start with '/', e.g. /api/users/{id} or /static/**");
  }

  @Test
  void routeAttributes_replaceTheDefaults() {
    assertThat(parse("route-attributes", "a, b").routeAttributes()).containsExactly("a", "b");
  }

  @Test
  void maxEndpoints_readAndChecked() {
    assertThat(parse("max-endpoints", "100").settings().maxEndpoints()).isEqualTo(100);
    assertRejected("max-endpoints", "0", "max-endpoints: '0' is not a positive whole number");
    assertRejected("max-endpoints", "many", "max-endpoints: 'many' is not a positive whole number");
    assertRejected("max-endpoints", "200000", "max-endpoints must be between 1 and 100000: 200000");
  }

  @Test
  void report_parametersReadAndChecked() {
    RequestTimingConfig c = parse("report-interval", "10s", "report-top", "5", "report-format", "JSON");
    assertThat(c.settings().reportInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.settings().reportTop()).isEqualTo(5);
    assertThat(c.settings().reportFormat()).isEqualTo(RequestTimingConfig.ReportFormat.JSON);
    assertThat(parse("report-interval", "0s").settings().reportInterval()).isZero();
    assertThat(parse("report-interval", "0").settings().reportInterval()).isZero();
    assertRejected("report-interval", "500ms", "report-interval must be 0 (off) or at least 1s: 500ms");
    assertRejected("report-format", "xml", "report-format: 'xml' is not a report format; use table or json");
    assertRejected("report-top", "-1", "report-top: '-1' is not a positive whole number");
  }

  @Test
  void watchdogInterval_explicitOrDerivedAndClamped() {
    assertThat(parse("watchdog-interval", "50ms").settings().watchdogInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(parse("budget", "1s").settings().watchdogInterval()).isEqualTo(Duration.ofMillis(25));
    assertThat(parse("budget", "100ms").settings().watchdogInterval()).isEqualTo(Duration.ofMillis(10));
    assertThat(parse("budget", "10m").settings().watchdogInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("budget", "30s", "endpoint-budgets", "/fast=2s").settings().watchdogInterval())
        .isEqualTo(Duration.ofMillis(50));
    assertRejected("watchdog-interval", "2m", "watchdog-interval must be between 1ms and 1m: 2m");
  }

  @Test
  void stackTraceAt_levelsAndNever() {
    assertThat(parse("stack-trace-at", "warn").settings().stackTraceAt()).isEqualTo(FlagLevel.WARN);
    assertThat(parse("stack-trace-at", "never").settings().stackTraceAt()).isNull();
    assertRejected(
        "stack-trace-at",
        "always",
        "stack-trace-at: 'always' is not a level; use warn, critical, exceeded or never");
  }

  @Test
  void deadlineHeader_mustBeAHeaderName() {
    assertThat(parse("deadline-header", "X-Request-Timeout-Ms").deadlineHeader())
        .isEqualTo("X-Request-Timeout-Ms");
    assertRejected(
        "deadline-header", "bad header", "deadline-header: 'bad header' is not a valid HTTP header name");
  }

  @Test
  void downstreamReserve_aDurationBelowTheBudget() {
    assertThat(parse().downstreamReserve()).isEqualTo(Duration.ofMillis(250));
    assertThat(parse("downstream-reserve", "1s").downstreamReserve()).isEqualTo(Duration.ofSeconds(1));
    assertThat(parse("downstream-reserve", "0").downstreamReserve()).isZero();
    assertThat(parse("budget", "100ms").downstreamReserve()).as("the default fits any budget: half of it").isEqualTo(Duration.ofMillis(50));
    assertThat(parse("budget", "200ms").downstreamReserve()).isEqualTo(Duration.ofMillis(100));
    assertThat(parse("budget", "10ms").downstreamReserve()).isEqualTo(Duration.ofMillis(5));
    assertThat(parse("budget", "2s").toBuilder().budget(Duration.ofMillis(200)).build().downstreamReserve())
        .as("a variant derives the default anew").isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> parse("budget", "1s", "downstream-reserve", "1s"))
        .hasMessage("downstream-reserve must be at least 0 and below the budget (1s): 1s");
    assertRejected("downstream-reserve", "-1s", "downstream-reserve: '-1s' is not a duration; use e.g. 30s, 1500ms, 2m, PT30S");
    assertRejected("downstream-reserve", "soon", "downstream-reserve: 'soon' is not a duration; use e.g. 30s, 1500ms, 2m, PT30S");
  }

  @Test
  void timeouts_readNamedDurations() {
    RequestTimingConfig c = parse("upstream-timeouts", "nginx=60s, alb=60s", "downstream-timeouts", "rag=90s");
    assertThat(c.settings().upstreamTimeouts())
        .containsEntry("nginx", Duration.ofSeconds(60))
        .containsEntry("alb", Duration.ofSeconds(60));
    assertThat(c.settings().downstreamTimeouts()).containsEntry("rag", Duration.ofSeconds(90));
    assertRejected(
        "upstream-timeouts", "nginx", "upstream-timeouts: 'nginx' is not a name=duration pair; use e.g. nginx=60s");
    assertRejected(
        "downstream-timeouts", "rag=ages", "downstream-timeouts: 'ages' is not a duration; use e.g. 30s, 1500ms, 2m, PT30S");
  }

  @Test
  void requestsTimer_onOffOrAuto() {
    assertThat(RequestTimingConfig.defaults().requestsTimer()).isEqualTo(RequestTimingConfig.RequestsTimer.ON);
    assertThat(parse("requests-timer", "AUTO").requestsTimer()).isEqualTo(RequestTimingConfig.RequestsTimer.AUTO);
    assertRejected("requests-timer", "maybe", "requests-timer: 'maybe' is not a mode; use on, off or auto");
  }

  @Test
  void mdcKeys_defaultToTraceAndSpanIds_emptyTurnsThemOff() {
    assertThat(RequestTimingConfig.defaults().settings().mdcKeys()).containsExactly("traceId", "spanId");
    assertThat(parse("mdc-keys", "trace_id, span_id, tenant").settings().mdcKeys()).containsExactly("trace_id", "span_id", "tenant");
    assertThat(parse("mdc-keys", "").settings().mdcKeys()).isEmpty();
    assertThat(RequestTimingConfig.builder().mdcKeys().build().settings().mdcKeys()).isEmpty();
    assertRejected("mdc-keys", "a, b, c, d, e", "mdc-keys: at most 4 keys, not 5: a, b, c, d, e");
    assertThatThrownBy(() -> RequestTimingConfig.builder().mdcKeys("traceId", " ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mdc-keys must not contain a blank key");
  }

  @Test
  void flagLogLimit_andAppPackages_readAndChecked() {
    assertThat(RequestTimingConfig.defaults().settings().flagLogLimit()).isEqualTo(5);
    assertThat(parse("flag-log-limit", "0").settings().flagLogLimit()).isZero();
    assertRejected("flag-log-limit", "-1", "flag-log-limit: '-1' is not a whole number of 0 or more");
    assertRejected("flag-log-limit", "20000", "flag-log-limit must be between 0 and 10000: 20000");
    assertThat(RequestTimingConfig.defaults().settings().appPackages()).isEmpty();
    assertThat(parse("app-packages", "com.example, org.acme.shop").settings().appPackages()).containsExactly("com.example", "org.acme.shop");
    assertRejected("app-packages", "com/example", "app-packages: 'com/example' is not a package name; use e.g. com.example");
  }

  @Test
  void unknownParameter_isRejectedListingTheKnownOnes() {
    assertThatThrownBy(() -> parse("budjet", "30s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("unknown parameter 'budjet'; known: budget, warn-at, critical-at,");
  }

  @Test
  void builder_andToBuilder_giveEqualDescriptions() {
    RequestTimingConfig c =
        RequestTimingConfig.builder()
            .budget(Duration.ofSeconds(20))
            .endpointBudget("POST /api/chat", Duration.ofMinutes(2))
            .routes("/api/users/{id}")
            .exclude("/metrics")
            .reportFormat(RequestTimingConfig.ReportFormat.JSON)
            .upstreamTimeout("nginx", Duration.ofSeconds(60))
            .build();
    assertThat(c.toBuilder().build().settings().describe()).isEqualTo(c.settings().describe());
    assertThat(c.settings().describe())
        .containsEntry("budget", "20s")
        .containsEntry("endpoint-budgets", "POST /api/chat=2m")
        .containsEntry("upstream-timeouts", "nginx=1m");
    assertThat(c.toBuilder().budget(Duration.ofSeconds(5)).build().budget()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void nulls_areRejectedByName() {
    assertThatThrownBy(() -> RequestTimingConfig.builder().budget(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("budget == null");
  }
}
