package dev.requesttiming.spring;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.core.RequestTimingConfig.MetricNames;
import dev.requesttiming.core.RequestTimingConfig.RequestsTimer;
import io.micrometer.observation.ObservationRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * What the filter's configuration takes from the Spring Boot app it runs in, where the user set
 * nothing: whether Actuator records {@code http.server.requests} ({@code requests-timer=auto}), the
 * app's packages ({@code app-packages}), and Actuator's own paths ({@code exclude}). {@link #log()}
 * says at start-up what was decided and why, on {@code dev.requesttiming.config}.
 */
final class BootSettings {

  /** request-timing's start-up logger, whose name the docs give. */
  static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.config");
  private static final String ACTUATOR_CLASS = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";
  private static final String DISTRIBUTION_PREFIX = "management.metrics.distribution.";

  private final RequestTimingConfig config;
  private final List<String> audit;

  private BootSettings(RequestTimingConfig config, List<String> audit) {
    this.config = config;
    this.audit = audit;
  }

  /**
   * The configuration of the app: the {@code request-timing.*} properties set, and what Spring Boot
   * decides where they are not; built once.
   *
   * @param given the properties set, by parameter name ({@link BoundParameters})
   * @throws IllegalArgumentException if a property has a bad value, naming it ({@code request-timing.budget})
   */
  static BootSettings of(
      Map<String, String> given,
      ListableBeanFactory beans,
      Environment environment,
      @Nullable ObservationRegistry observations) {
    try {
      RequestTimingConfig.Builder config = RequestTimingConfig.builder();
      given.forEach(config::set);
      List<String> audit = new ArrayList<>();
      // Actuator's timer has Spring's names; with OpenTelemetry's names ours is a different meter
      boolean otelNames = MetricNames.OTEL.name().equalsIgnoreCase(given.getOrDefault("metric-names", "").trim());
      boolean actuatorRecords = !otelNames && SpringRequestsObservation.isActive(beans, observations);
      audit.add(row("http.server.requests", requestsTimer(given, otelNames, actuatorRecords, config)));
      List<String> distribution = distributionSettings(environment);
      if (!distribution.isEmpty()) {
        audit.add(row("", "its histogram is " + String.join(", ", distribution)
            + " (management.metrics.distribution.*, which wins over request-timing's)"));
      }
      audit.add(row("app-packages", appPackages(given, config, beans)));
      audit.add(row("exclude", exclude(given, config, environment)));
      return new BootSettings(config.build(), audit);
    } catch (IllegalArgumentException e) {
      // the library names its parameters; Spring users know them as request-timing.* properties
      throw new IllegalArgumentException(BoundParameters.PREFIX + e.getMessage(), e);
    }
  }

  RequestTimingConfig config() {
    return config;
  }

  /** Logs the decisions as one INFO event, a row each. */
  void log() {
    try {
      LOG.info("request-timing in Spring Boot:\n{}", String.join("\n", audit));
    } catch (RuntimeException | LinkageError e) {
      // a broken logger must not stop the app from starting
    }
  }

  private static String row(String name, String value) {
    return String.format("  %-22s %s", name, value);
  }

  /** Decides {@code requests-timer}, {@code auto} unless set (in Spring Boot, the default). */
  private static String requestsTimer(
      Map<String, String> given, boolean otelNames, boolean actuatorRecords, RequestTimingConfig.Builder config) {
    // a text the builder has read already, so a valid name
    RequestsTimer mode = given.containsKey("requests-timer")
        ? RequestsTimer.valueOf(given.get("requests-timer").trim().toUpperCase(Locale.ROOT))
        : RequestsTimer.AUTO;
    boolean ours = mode.records(actuatorRecords);
    config.requestsTimer(ours ? RequestsTimer.ON : RequestsTimer.OFF);
    if (mode == RequestsTimer.AUTO) {
      if (!ours) {
        return "recorded by Actuator's observation (requests-timer=auto): request-timing gives that timer its"
            + " histogram and records flags, budgets, in-flight requests and reports";
      }
      return otelNames
          ? "recorded by request-timing with OpenTelemetry's names (requests-timer=auto, metric-names=otel)"
          : "recorded by request-timing (requests-timer=auto: Actuator's observation is not active)";
    }
    if (!ours) {
      return "not recorded by request-timing (requests-timer=off)";
    }
    return "recorded by request-timing (requests-timer=on)"
        + (actuatorRecords ? "; Actuator's observation records it too: set requests-timer=auto" : "");
  }

  private static String appPackages(Map<String, String> given, RequestTimingConfig.Builder config, ListableBeanFactory beans) {
    if (given.containsKey("app-packages")) {
      return given.get("app-packages") + " (request-timing.app-packages)";
    }
    if (!AutoConfigurationPackages.has(beans)) {
      return "(guessed: the first frame outside the JDK, containers, Spring and common libraries)";
    }
    // the @SpringBootApplication class's packages: the app's own code, whatever its prefix
    List<String> packages = AutoConfigurationPackages.get(beans);
    config.appPackages(packages.toArray(new String[0]));
    return String.join(", ", packages) + " (the @SpringBootApplication class's; request-timing.app-packages sets them)";
  }

  private static String exclude(Map<String, String> given, RequestTimingConfig.Builder config, Environment environment) {
    if (given.containsKey("exclude")) {
      return given.get("exclude").isBlank() ? "(none)" : given.get("exclude") + " (request-timing.exclude)";
    }
    String actuator = actuatorPaths(environment);
    if (actuator == null) {
      return "(none)";
    }
    config.exclude(actuator);
    return actuator + " (Actuator's endpoints; request-timing.exclude sets it)";
  }

  /** Actuator's paths on the app's own port, e.g. {@code /actuator/**}; null when none. */
  private static @Nullable String actuatorPaths(Environment environment) {
    if (!ClassUtils.isPresent(ACTUATOR_CLASS, BootSettings.class.getClassLoader())) {
      return null;
    }
    String managementPort = environment.getProperty("management.server.port");
    if (managementPort != null && !Objects.equals(managementPort, environment.getProperty("server.port"))) {
      return null; // a management server of its own: its requests never pass the app's filters
    }
    String base = environment.getProperty("management.endpoints.web.base-path", "/actuator").trim();
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base.isEmpty() ? null : (base.startsWith("/") ? base : "/" + base) + "/**"; // at the root: not all paths
  }

  /** The user's {@code management.metrics.distribution.*} settings of {@code http.server.requests}. */
  private static List<String> distributionSettings(Environment environment) {
    List<String> settings = new ArrayList<>();
    if (environment instanceof ConfigurableEnvironment configurable) {
      configurable.getPropertySources().forEach(source -> {
        if (source instanceof EnumerablePropertySource<?> enumerable) {
          for (String name : enumerable.getPropertyNames()) {
            if (name.startsWith(DISTRIBUTION_PREFIX) && name.contains("http.server.requests")) {
              String setting = name.substring(DISTRIBUTION_PREFIX.length()) + "=" + environment.getProperty(name);
              if (!settings.contains(setting)) {
                settings.add(setting);
              }
            }
          }
        }
      });
    }
    return settings;
  }
}
