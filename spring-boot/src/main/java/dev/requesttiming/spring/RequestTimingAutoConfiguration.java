package dev.requesttiming.spring;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.RequestTimingMeterFilter;
import dev.requesttiming.servlet.RequestTimingFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.observation.ObservationRegistry;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Registers {@link RequestTimingFilter} in servlet web apps: for {@code /*} and every dispatcher
 * type, early in the chain (before Spring Security's filters, so rejected requests are timed too),
 * recording into the app's {@link MeterRegistry}. {@code request-timing.enabled=false} turns it off.
 *
 * <p>When Spring Boot Actuator records {@code http.server.requests} itself, the filter leaves that
 * timer to it ({@code request-timing.requests-timer=auto}, the default here) and records all of its
 * other meters, flags and reports, so no request is counted twice. A {@link RequestTimingMeterFilter}
 * gives Actuator's timer our histogram (the user's {@code management.metrics.distribution.*}
 * settings win) and keeps one {@code http.server.requests.active}: ours, which names the endpoint.
 *
 * <p>Works on Spring Boot 3.5 and 4.x: the ordering names each line's auto-configurations, and a
 * name that is not on the class path is ignored.
 */
@AutoConfiguration(
    afterName = {
      // Spring Boot 3.x
      "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.metrics.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration",
      "org.springframework.boot.actuate.autoconfigure.observation.web.servlet.WebMvcObservationAutoConfiguration",
      // Spring Boot 4.x
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
      "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
      "org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration"
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(RequestTimingFilter.class)
@ConditionalOnProperty(prefix = "request-timing", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(RequestTimingProperties.class)
public class RequestTimingAutoConfiguration {

  /** Before Spring Security's filter chain (-100) and most others; after Actuator's observation filter. */
  public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  /**
   * Before Spring Boot's {@code PropertiesMeterFilter} (order 0), so that what the user sets under
   * {@code management.metrics.distribution.*} is applied after ours and wins.
   */
  static final int METER_FILTER_ORDER = -10;

  /**
   * The configuration every part uses: the {@code request-timing.*} properties, and what Spring Boot
   * decides where they are not set (logged at start on {@code dev.requesttiming.config}).
   *
   * @throws IllegalArgumentException if a property has a bad value, naming it
   */
  @Bean
  @ConditionalOnMissingBean
  public RequestTimingConfig requestTimingConfig(
      Environment environment, ListableBeanFactory beans, ObjectProvider<ObservationRegistry> observations) {
    BootSettings settings = BootSettings.of(BoundParameters.of(environment), beans, environment, observations.getIfAvailable());
    settings.log();
    return settings.config();
  }

  /**
   * Our histogram on Actuator's {@code http.server.requests} timer, and one in-flight meter.
   * Spring Boot adds {@code MeterFilter} beans to every registry it configures. The registry is
   * built before the configuration (which asks the observation registry, which holds the meter
   * registry), so the filter reads the configuration when the first request meter appears.
   */
  @Bean
  @Order(METER_FILTER_ORDER)
  @ConditionalOnMissingBean(name = "requestTimingMeterFilter")
  public RequestTimingMeterFilter requestTimingMeterFilter(ObjectProvider<RequestTimingConfig> config) {
    return RequestTimingMeterFilter.lazy(config::getObject);
  }

  /**
   * Downstream calls inherit the budget: the request factories of the auto-configured {@code
   * RestClient.Builder} and {@code RestTemplateBuilder} give up when the request's budget does
   * (off with {@code request-timing.downstream.enabled=false}; the audit still lists them).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder",
        "org.springframework.http.client.ClientHttpRequestFactory"
      })
  static class Downstream {

    /**
     * A post-processor is created before properties beans are bound, so it reads its switch from
     * the environment; {@link RequestTimingProperties.Downstream} documents the property.
     */
    @Bean
    static BudgetAwareClientBuilders requestTimingBudgetAwareClients(Environment environment) {
      return new BudgetAwareClientBuilders(
          environment.getProperty("request-timing.downstream.enabled", Boolean.class, true));
    }

    @Bean
    DownstreamClientsAudit requestTimingDownstreamClientsAudit(
        BudgetAwareClientBuilders builders, RequestTimingConfig config) {
      return new DownstreamClientsAudit(builders, config);
    }
  }

  /**
   * The live view as the Actuator endpoint {@code requesttiming}, where Actuator is: served over the
   * web only once exposed ({@code management.endpoints.web.exposure.include=requesttiming}).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        "org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"
      })
  static class LiveViewEndpoint {

    @Bean
    @ConditionalOnAvailableEndpoint
    @ConditionalOnMissingBean
    RequestTimingEndpoint requestTimingEndpoint(FilterRegistrationBean<RequestTimingFilter> requestTimingFilter) {
      return new RequestTimingEndpoint(requestTimingFilter.getFilter());
    }
  }

  /**
   * The filter's registration.
   */
  @Bean
  @ConditionalOnMissingBean(name = "requestTimingFilter")
  public FilterRegistrationBean<RequestTimingFilter> requestTimingFilter(
      RequestTimingConfig config, ObjectProvider<MeterRegistry> registry) {
    RequestTimingFilter filter =
        new RequestTimingFilter(registry.getIfAvailable(() -> Metrics.globalRegistry), config);
    FilterRegistrationBean<RequestTimingFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("requestTiming");
    registration.setOrder(ORDER);
    registration.setAsyncSupported(true);
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    registration.addUrlPatterns("/*");
    return registration;
  }
}
