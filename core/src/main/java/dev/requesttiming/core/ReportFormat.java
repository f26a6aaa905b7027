package dev.requesttiming.core;

import java.util.Locale;

/** How the slow-endpoint report is logged. */
enum ReportFormat {
  TABLE,
  JSON;

  String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ReportFormat parse(String parameter, String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "table" -> TABLE;
      case "json" -> JSON;
      default ->
          throw new IllegalArgumentException(
              parameter + ": '" + text + "' is not a report format; use table or json");
    };
  }
}
