package dev.requesttiming.servlet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's start-up logger, {@code dev.requesttiming.config}, for what the adapter finds at start
 * (the registry, the app's packages, a second recorder of the timer); named once in the adapter,
 * which uses the core's API only and so not its internal {@code Loggers}.
 */
final class ConfigLog {

  static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.config");

  private ConfigLog() {}
}
