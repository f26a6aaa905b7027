package dev.requesttiming.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Spring Boot's own switches under {@code request-timing.*}. The filter's parameters (docs/configuration.md's
 * configuration reference) are {@code request-timing.*} properties too, of the same name, e.g.
 *
 * <pre>
 * request-timing.budget=30s
 * request-timing.endpoint-budgets=POST /api/chat=120s, /api/reports/**=60s
 * request-timing.downstream-timeouts.rag=25s
 * </pre>
 *
 * <p>They are read through the core's table of parameters, which defines each once; the IDE learns
 * them from {@code META-INF/additional-spring-configuration-metadata.json}, which a test keeps equal
 * to that table. Two defaults differ in Spring Boot: {@code requests-timer} is {@code auto}, and
 * {@code exclude} is Actuator's endpoints where they are served on the app's port.
 */
@ConfigurationProperties("request-timing")
public class RequestTimingProperties {

  /** Whether request-timing times requests at all. */
  private boolean enabled = true;
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

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public Downstream getDownstream() {
    return downstream;
  }
}
