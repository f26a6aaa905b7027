package dev.requesttiming.examples.boot27;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.javax.RequestTimingFilter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumSet;
import java.util.Map;
import javax.servlet.DispatcherType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot 2.7 app (javax.servlet) with request-timing: the javax filter registered with a
 * {@code FilterRegistrationBean}, recording into Boot's own registry.
 */
@SpringBootApplication
public class Boot27Application {

  public static void main(String[] args) {
    SpringApplication.run(Boot27Application.class, args);
  }

  /** The filter for every request, early in the chain (before Spring Security's), as Boot 3's starter registers it. */
  @Bean
  FilterRegistrationBean<RequestTimingFilter> requestTimingFilter(
      MeterRegistry registry,
      @Value("${request-timing.budget:30s}") String budget,
      @Value("${request-timing.report-interval:1m}") String reportInterval,
      @Value("${request-timing.requests-timer:auto}") String requestsTimer) {
    RequestTimingConfig config = RequestTimingConfig.fromMap(Map.of(
        "budget", budget,
        "report-interval", reportInterval,
        "requests-timer", requestsTimer, // auto: Boot 2.7's Actuator records http.server.requests, leave it that timer
        "exclude", "/actuator/**"));
    FilterRegistrationBean<RequestTimingFilter> registration = new FilterRegistrationBean<>(new RequestTimingFilter(registry, config));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    registration.setAsyncSupported(true);
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    registration.addUrlPatterns("/*");
    return registration;
  }

  @RestController
  static class Api {

    @GetMapping("/api/users/{id}")
    String user(@PathVariable String id) {
      return id;
    }

    @GetMapping("/api/slow")
    String slow(@RequestParam long ms) throws InterruptedException {
      Thread.sleep(ms);
      return "slept " + ms + "ms";
    }
  }
}
