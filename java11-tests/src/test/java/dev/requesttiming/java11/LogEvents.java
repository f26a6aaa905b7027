package dev.requesttiming.java11;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** The log events of request-timing's loggers, through Logback 1.2 under SLF4J 1.7, as Boot 2.7 has them. */
final class LogEvents implements AutoCloseable {

  private final Logger logger = (Logger) LoggerFactory.getLogger("dev.requesttiming");
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  LogEvents() {
    appender.start();
    logger.addAppender(appender);
  }

  /** The formatted messages logged so far by {@code loggerName}, at any level. */
  List<String> messages(String loggerName) {
    List<ILoggingEvent> events;
    synchronized (appender) { // AppenderBase appends while holding it
      events = List.copyOf(appender.list);
    }
    return events.stream()
        .filter(event -> event.getLoggerName().equals(loggerName))
        .map(ILoggingEvent::getFormattedMessage)
        .collect(Collectors.toList());
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
  }
}
