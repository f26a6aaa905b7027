package dev.requesttiming.core.internal.config;

import dev.requesttiming.core.internal.util.Loggers;

import dev.requesttiming.core.internal.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Logs the effective configuration and the timeout-hierarchy audit once at start on {@code
 * dev.requesttiming.config}.
 */
public final class StartupLog {

  private static final Logger LOG = Loggers.CONFIG;

  private StartupLog() {}

  public static void log(Settings config) {
    try {
      List<String> pairs = new ArrayList<>();
      config.describe().forEach((name, value) -> {
        if (!value.isEmpty()) {
          pairs.add(name + "=" + value);
        }
      });
      LOG.info("request-timing started: {}", String.join(" ", pairs));
      TimeoutAudit audit = new TimeoutAudit(config);
      if (audit.hasLayers()) {
        LOG.info(audit.table());
        audit.violations().forEach(LOG::warn);
      }
    } catch (RuntimeException | LinkageError e) {
      // a broken logger must not stop the app from starting
    }
  }

  /**
   * The keep-alive check, once the adapter has read how long the app server keeps an idle
   * connection open: against {@code upstream-idle-timeouts}, a WARN for each layer in front that
   * keeps them longer. Quiet when none is configured.
   */
  public static void keepAlive(Settings config, Duration serverIdle, String source) {
    try {
      if (config.upstreamIdleTimeouts().isEmpty()) {
        return;
      }
      List<String> violations = new TimeoutAudit(config).keepAliveViolations(serverIdle, source);
      if (violations.isEmpty()) {
        LOG.info("keep-alive: the app server keeps idle connections {} ({}), longer than every layer in front: {}",
            Durations.duration(serverIdle), source, Parameters.UPSTREAM_IDLE_TIMEOUTS.describe(config));
      }
      violations.forEach(LOG::warn);
    } catch (RuntimeException | LinkageError e) {
      // a broken logger must not stop the app
    }
  }
}
