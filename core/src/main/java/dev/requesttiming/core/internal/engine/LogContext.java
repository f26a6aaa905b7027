package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.SafeText;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The MDC entries a request's flag lines carry ({@code mdc-keys}; by default {@code traceId} and
 * {@code spanId}, which Micrometer Tracing puts there), read on the request thread when the request
 * starts, so that lines logged later by the watchdog thread name the request's trace.
 *
 * <p>Thread-safe and immutable; {@link #capture()} allocates only when the MDC has a value.
 */
public final class LogContext {

  /** Values are ids, not prose: longer ones are cut. */
  private static final int MAX_VALUE_LENGTH = 64;

  private final String[] keys;

  LogContext(List<String> keys) {
    this.keys = keys.toArray(new String[0]);
  }

  /**
   * The values of the keys on this thread's MDC, or null when there are none (or no keys). They are
   * kept as they are; {@link #first}, {@link #text} and {@link #addTo} make them safe to print, for
   * the few requests that are printed.
   */
  @Nullable String[] capture() {
    @Nullable String[] values = null;
    for (int i = 0; i < keys.length; i++) {
      String value = MDC.get(keys[i]);
      if (value != null) {
        if (values == null) {
          values = new String[keys.length];
        }
        values[i] = value;
      }
    }
    return values;
  }

  /** The value of the first key (the trace id, by default), or null when it had none. */
  public @Nullable String first(@Nullable String @Nullable [] values) {
    return values == null || values.length == 0 || values[0] == null ? null : safe(values[0]);
  }

  /** {@code " key=value"} for each captured value, for the end of a message; empty when none. */
  public String text(@Nullable String @Nullable [] values) {
    if (values == null) {
      return "";
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null) {
        text.append(' ').append(keys[i]).append('=').append(safe(values[i]));
      }
    }
    return text.toString();
  }

  /** Adds each captured value to the event as a key-value pair under its MDC key. */
  public LogEvent addTo(LogEvent event, @Nullable String @Nullable [] values) {
    if (values != null) {
      for (int i = 0; i < keys.length; i++) {
        if (values[i] != null) {
          event.addKeyValue(keys[i], safe(values[i]));
        }
      }
    }
    return event;
  }

  /** Values are ids, not prose: control characters escaped, longer ones cut. */
  private static String safe(String value) {
    return SafeText.of(value, MAX_VALUE_LENGTH);
  }
}
