package dev.requesttiming.core;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Captures the events of one logger (and its children) for assertions; thread-safe. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger logger;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

  private LogCapture(String loggerName) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    setContext(logger.getLoggerContext());
    start();
    logger.addAppender(this);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    events.add(event);
  }

  public List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  public List<String> messages() {
    return events.stream().map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
  }

  /** The event's key-value pairs as {@code key=value} texts. */
  public static List<String> keyValues(ILoggingEvent event) {
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    return pairs == null
        ? List.of()
        : pairs.stream().map(p -> p.key + "=" + p.value).collect(Collectors.toList());
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    stop();
  }
}
