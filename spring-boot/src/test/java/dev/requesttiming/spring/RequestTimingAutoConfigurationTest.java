package dev.requesttiming.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.LogCapture;
import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.RequestTimingFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockServletContext;

class RequestTimingAutoConfigurationTest {

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(RequestTimingAutoConfiguration.class))
          .withBean(SimpleMeterRegistry.class);

  @Test
  void servletApp_getsTheFilter_earlyForAllDispatchTypes() {
    runner.run(context -> {
      @SuppressWarnings("unchecked")
      FilterRegistrationBean<RequestTimingFilter> registration =
          context.getBean("requestTimingFilter", FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isInstanceOf(RequestTimingFilter.class);
      assertThat(registration.getOrder()).isLessThan(-100); // before Spring Security's filter chain
      assertThat(registration.isAsyncSupported()).isTrue();
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
    });
  }

  @Test
  void bootsRequestFactoryBuilder_buildsBudgetAwareFactories_unlessTurnedOff() {
    WebApplicationContextRunner withClients =
        runner.withConfiguration(
            AutoConfigurations.of(org.springframework.boot.autoconfigure.http.client.HttpClientAutoConfiguration.class));
    withClients.run(context -> {
      ClientHttpRequestFactoryBuilder<?> builder = context.getBean(ClientHttpRequestFactoryBuilder.class);
      assertThat(builder.build(ClientHttpRequestFactorySettings.defaults().withReadTimeout(Duration.ofSeconds(90))))
          .isInstanceOfSatisfying(BudgetAwareRequestFactory.class, f -> {
            assertThat(f.readTimeout()).isEqualTo(Duration.ofSeconds(90));
            assertThat(f.delegate()).isInstanceOf(org.springframework.http.client.HttpComponentsClientHttpRequestFactory.class);
          });
      assertThat(builder.withCustomizer(f -> {}).build()).as("derived builders too").isInstanceOf(BudgetAwareRequestFactory.class);
      assertThat(context.getBean(BudgetAwareClientBuilders.class).built())
          .contains(new BudgetAwareClientBuilders.Built("HttpComponentsClientHttpRequestFactory", Duration.ofSeconds(90)));
    });
    withClients.withPropertyValues("request-timing.downstream.enabled=false").run(context ->
        assertThat(context.getBean(ClientHttpRequestFactoryBuilder.class).build())
            .isNotInstanceOf(BudgetAwareRequestFactory.class));
  }

  /** A short budget must not stop start-up in Spring alone (over a reserve the user never set). */
  @ParameterizedTest
  @ValueSource(strings = {"10ms", "200ms", "30s"})
  void sameSettings_throughBuilderInitParamsAndProperties_giveEqualConfigurations(String budget) {
    String builder =
        RequestTimingConfig.builder().budget(typed(budget)).set("warn-at", "0.6").requestsTimer(RequestTimingConfig.RequestsTimer.AUTO).build().toString();
    String initParams =
        RequestTimingConfig.fromMap(Map.of("budget", budget, "warn-at", "60%", "requests-timer", "auto")).toString();
    runner
        .withPropertyValues("request-timing.budget=" + budget, "request-timing.warn-at=0.6")
        .run(context -> {
          assertThat(context).hasNotFailed().hasBean("requestTimingFilter");
          String properties = asGiven(context.getEnvironment()).toString();
          assertThat(properties).isEqualTo(builder).isEqualTo(initParams);
        });
  }

  /** The properties as the user gave them, before Spring Boot decides requests-timer (auto unless set). */
  private static RequestTimingConfig asGiven(org.springframework.core.env.Environment environment) {
    Map<String, String> given = new java.util.HashMap<>(BoundParameters.of(environment));
    given.putIfAbsent("requests-timer", "auto");
    return RequestTimingConfig.fromMap(given);
  }

  private static Duration typed(String text) {
    return text.endsWith("ms")
        ? Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)))
        : Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
  }

  /** An app whose package starts like Spring's had its own frames skipped as Spring's. */
  @Test
  void appPackages_defaultToTheApplicationsPackages_unlessSet() {
    WebApplicationContextRunner app =
        runner.withInitializer(context -> AutoConfigurationPackages.register(
            (BeanDefinitionRegistry) context.getBeanFactory(), "org.springframework.samples.petclinic"));
    try (LogCapture log = LogCapture.of("dev.requesttiming.config")) {
      app.run(context -> startedFilter(context).destroy());
      app.withPropertyValues("request-timing.app-packages=com.example").run(context -> startedFilter(context).destroy());
      assertThat(log.events()).extracting(e -> e.getFormattedMessage())
          .filteredOn(m -> m.startsWith("request-timing started"))
          .satisfiesExactly(
              first -> assertThat(first).contains("app-packages=org.springframework.samples.petclinic "),
              second -> assertThat(second).contains("app-packages=com.example "));
    }
  }

  /** The start-up audit in Boot says where each setting came from, not one line of settings. */
  @Test
  void bootAudit_saysWhoRecordsTheTimer_whichAppPackages_andWhatIsExcluded() {
    WebApplicationContextRunner app =
        runner
            .withInitializer(context -> AutoConfigurationPackages.register(
                (BeanDefinitionRegistry) context.getBeanFactory(), "org.springframework.samples.petclinic"))
            .withBean("webMvcObservationFilter", Object.class, Object::new)
            .withBean(io.micrometer.observation.ObservationRegistry.class, RequestTimingAutoConfigurationTest::recording);
    try (LogCapture log = LogCapture.of("dev.requesttiming.config")) {
      app.withPropertyValues(
              "request-timing.exclude=/health",
              "management.metrics.distribution.percentiles-histogram.http.server.requests=true")
          .run(context -> startedFilter(context).destroy());
      String audit = log.messages().stream().filter(m -> m.startsWith("request-timing in Spring Boot")).findFirst().orElseThrow();
      assertThat(audit.lines())
          .anySatisfy(l -> assertThat(l).contains("http.server.requests").contains("recorded by Actuator's observation (requests-timer=auto)"))
          .anySatisfy(l -> assertThat(l).contains("percentiles-histogram.http.server.requests=true").contains("wins over request-timing's"))
          .anySatisfy(l -> assertThat(l).contains("app-packages").contains("org.springframework.samples.petclinic (the @SpringBootApplication class's"))
          .anySatisfy(l -> assertThat(l).contains("exclude").contains("/health (request-timing.exclude)"));
      assertThat(log.messages())
          .anySatisfy(m -> assertThat(m).startsWith("http.server.requests: left to another instrumentation (requests-timer=off)")
              .contains(": compact, 21 boundaries: 5ms 7.5ms 10ms"));
    }
  }

  private static RequestTimingFilter startedFilter(org.springframework.context.ApplicationContext context) throws Exception {
    @SuppressWarnings("unchecked")
    FilterRegistrationBean<RequestTimingFilter> registration = context.getBean("requestTimingFilter", FilterRegistrationBean.class);
    RequestTimingFilter filter = registration.getFilter();
    filter.init(new MockFilterConfig(new MockServletContext()));
    return filter;
  }

  @Test
  void properties_bindWithSpringsTypes() {
    runner
        .withPropertyValues(
            "request-timing.budget=2s",
            "request-timing.warn-at=60%",
            "request-timing.endpoint-budgets=POST /api/chat=120s, /api/reports/**=60s",
            "request-timing.exclude=/actuator/**,/health",
            "request-timing.downstream-timeouts.rag=1500ms",
            "request-timing.report-format=json",
            "request-timing.downstream-reserve=400ms")
        .run(context -> {
          RequestTimingConfig config = asGiven(context.getEnvironment());
          assertThat(config.budget()).isEqualTo(Duration.ofSeconds(2));
          assertThat(config.downstreamReserve()).isEqualTo(Duration.ofMillis(400));
          assertThat(config.toString())
              .contains("warn-at=60.0%", "endpoint-budgets=POST /api/chat=2m, /api/reports/**=1m", "exclude=/actuator/**, /health",
                  "downstream-timeouts=rag=1.5s", "report-format=json", "requests-timer=auto");
        });
  }

  @Test
  void badValue_failsStartUp_namingTheProperty() {
    runner.withPropertyValues("request-timing.warn-at=lots").run(context -> {
      assertThat(context).hasFailed();
      Throwable cause = context.getStartupFailure();
      while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
        cause = cause.getCause();
      }
      assertThat(cause).hasMessage("request-timing.warn-at: 'lots' is not a fraction; use e.g. 0.8 or 80%");
    });
  }

  @Test
  void auto_leavesTheTimerToSpringOnlyWhenSpringRecordsIt() {
    WebApplicationContextRunner withSpringFilter =
        runner.withBean("webMvcObservationFilter", Object.class, Object::new);
    withSpringFilter
        .withBean(io.micrometer.observation.ObservationRegistry.class, RequestTimingAutoConfigurationTest::recording)
        .run(context -> assertThat(timerMode(context)).isEqualTo("off"));
    withSpringFilter
        .withBean(io.micrometer.observation.ObservationRegistry.class, () -> io.micrometer.observation.ObservationRegistry.NOOP)
        .run(context -> assertThat(timerMode(context)).isEqualTo("on"));
    runner
        .withBean(io.micrometer.observation.ObservationRegistry.class, RequestTimingAutoConfigurationTest::recording)
        .run(context -> assertThat(timerMode(context)).isEqualTo("on"));
  }

  /** An observation registry with a handler, as Actuator's is: its observations are not no-ops. */
  private static io.micrometer.observation.ObservationRegistry recording() {
    io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
    registry.observationConfig().observationHandler(context -> true);
    return registry;
  }

  private static String timerMode(org.springframework.context.ApplicationContext context) {
    try (dev.requesttiming.core.LogCapture log = dev.requesttiming.core.LogCapture.of("dev.requesttiming.config")) {
      FilterRegistrationBean<?> registration = context.getBean("requestTimingFilter", FilterRegistrationBean.class);
      RequestTimingFilter filter = (RequestTimingFilter) registration.getFilter();
      filter.init(new org.springframework.mock.web.MockFilterConfig());
      filter.destroy();
      String started = log.messages().stream().filter(m -> m.startsWith("request-timing started")).findFirst().orElseThrow();
      return started.replaceAll(".*requests-timer=(\\w+).*", "$1");
    }
  }

  @Test
  void enabledFalse_registersNothing() {
    runner.withPropertyValues("request-timing.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean("requestTimingFilter").doesNotHaveBean(RequestTimingProperties.class));
  }

  @Test
  void nonWebApp_registersNothing() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(RequestTimingAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean("requestTimingFilter"));
  }

  @Test
  void configurationMetadata_letsIdesCompleteTheProperties() throws Exception {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      String metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String property : new String[] {"budget", "warn-at", "critical-at", "endpoint-budgets", "routes",
          "route-attributes", "max-endpoints", "exclude", "report-interval", "report-top", "report-format",
          "watchdog-interval", "stack-trace-at", "deadline-header", "upstream-timeouts", "downstream-timeouts",
          "requests-timer", "enabled"}) {
        assertThat(metadata).contains("\"name\": \"request-timing." + property + "\"");
      }
    }
  }
}
