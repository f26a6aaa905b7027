package dev.requesttiming.core.internal.config;

import dev.requesttiming.core.internal.util.Loggers;

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
}
