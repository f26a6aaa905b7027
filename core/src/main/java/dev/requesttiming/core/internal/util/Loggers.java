package dev.requesttiming.core.internal.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The loggers of request-timing, named once (docs/ARCHITECTURE.md, Logs and metrics). */
public final class Loggers {

  /** Budget flags and their summaries: WARN. */
  public static final Logger BUDGET = LoggerFactory.getLogger("dev.requesttiming.budget");
  /** The slow-endpoint report: INFO. */
  public static final Logger REPORT = LoggerFactory.getLogger("dev.requesttiming.report");
  /** The effective configuration and the audits, once at start: INFO, and WARN for what is wrong. */
  public static final Logger CONFIG = LoggerFactory.getLogger("dev.requesttiming.config");
  /** request-timing's own failures, at most once a minute. */
  public static final Logger FAILURES = LoggerFactory.getLogger("dev.requesttiming");

  private Loggers() {}
}
