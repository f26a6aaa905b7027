package dev.requesttiming.core.internal.util;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * A log event with key-value pairs (for JSON encoders), on any SLF4J: with SLF4J 2 through its
 * fluent API ({@code addKeyValue}); with SLF4J 1.7 (Spring Boot 2.7, Logback 1.2) the pairs are put
 * on the MDC for the one call, where encoders find them, and then removed.
 *
 * <p>One per event, on one thread; used off the request path (watchdog, reporter).
 */
public final class LogEvent {

  /** Whether the SLF4J on the class path has the fluent API (2.0 and later). */
  static final boolean FLUENT = hasFluentApi();

  private final Logger logger;
  private final boolean warn;
  private final List<String> keys = new ArrayList<>(12);
  private final List<@Nullable Object> values = new ArrayList<>(12);
  private @Nullable Throwable cause;

  private LogEvent(Logger logger, boolean warn) {
    this.logger = logger;
    this.warn = warn;
  }

  public static LogEvent warn(Logger logger) {
    return new LogEvent(logger, true);
  }

  public static LogEvent info(Logger logger) {
    return new LogEvent(logger, false);
  }

  public LogEvent addKeyValue(String key, @Nullable Object value) {
    keys.add(key);
    values.add(value);
    return this;
  }

  public LogEvent setCause(Throwable cause) {
    this.cause = cause;
    return this;
  }

  public void log(String message) {
    log(message, FLUENT);
  }

  /** Logs through the fluent API or, where SLF4J has none ({@code fluent} false), through the MDC. */
  void log(String message, boolean fluent) {
    if (fluent) {
      Fluent.log(logger, warn, keys, values, cause, message);
    } else {
      mdcLog(message);
    }
  }

  private void mdcLog(String message) {
    List<@Nullable String> previous = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      previous.add(MDC.get(keys.get(i)));
      MDC.put(keys.get(i), String.valueOf(values.get(i)));
    }
    try {
      if (warn) {
        logger.warn(message, cause);
      } else {
        logger.info(message, cause);
      }
    } finally {
      for (int i = keys.size() - 1; i >= 0; i--) {
        String before = previous.get(i);
        if (before == null) {
          MDC.remove(keys.get(i));
        } else {
          MDC.put(keys.get(i), before);
        }
      }
    }
  }

  private static boolean hasFluentApi() {
    try {
      Logger.class.getMethod("atInfo");
      return true;
    } catch (NoSuchMethodException | LinkageError e) {
      return false;
    }
  }

  /** The SLF4J 2 path, in a class of its own: loaded only where that API is. */
  private static final class Fluent {
    static void log(Logger logger, boolean warn, List<String> keys, List<@Nullable Object> values,
        @Nullable Throwable cause, String message) {
      org.slf4j.spi.LoggingEventBuilder event = warn ? logger.atWarn() : logger.atInfo();
      for (int i = 0; i < keys.size(); i++) {
        event = event.addKeyValue(keys.get(i), values.get(i));
      }
      if (cause != null) {
        event = event.setCause(cause);
      }
      event.log(message);
    }
  }
}
