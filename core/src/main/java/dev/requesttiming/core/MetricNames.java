package dev.requesttiming.core;

import java.util.Locale;

/**
 * The names of request-timing's meters and their tags ({@code metric-names}): Spring Boot's ({@code
 * http.server.requests}, the default, which existing dashboards and the shipped Prometheus rules
 * read) or OpenTelemetry's semantic conventions ({@code http.server.request.duration}, for teams
 * exporting through micrometer-registry-otlp).
 */
enum MetricNames {
  SPRING(
      "http.server.requests", "method", "uri", "status", "exception",
      "http.server.requests.budget", "level"),
  OTEL(
      "http.server.request.duration", "http.request.method", "http.route", "http.response.status_code",
      "error.type", "http.server.request.budget", "budget.level");

  /** The request timer; its in-flight long task timer is this name + {@code .active}. */
  final String requests;
  final String active;
  final String method;
  final String route;
  final String status;
  final String error;
  final String budget;
  final String flagged;
  final String level;

  MetricNames(String requests, String method, String route, String status, String error, String budget, String level) {
    this.requests = requests;
    this.active = requests + ".active";
    this.method = method;
    this.route = route;
    this.status = status;
    this.error = error;
    this.budget = budget;
    this.flagged = budget + ".flagged";
    this.level = level;
  }

  String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  static MetricNames parse(String parameter, String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "spring" -> SPRING;
      case "otel" -> OTEL;
      default ->
          throw new IllegalArgumentException(parameter + ": '" + value + "' is not a naming; use spring or otel");
    };
  }
}
