package dev.requesttiming.core.internal.metrics;

import dev.requesttiming.core.RequestTimingConfig.MetricNames;


/**
 * The names of request-timing's meters and their tags ({@code metric-names}): Spring Boot's ({@code
 * http.server.requests}, the default, which existing dashboards and the shipped Prometheus rules
 * read) or OpenTelemetry's semantic conventions ({@code http.server.request.duration}, for teams
 * exporting through micrometer-registry-otlp).
 */
public enum MeterNames {
  SPRING(
      "http.server.requests", "method", "uri", "status", "exception",
      "http.server.requests.budget", "level", "http.server.requests.queue", "http.server.requests"),
  OTEL(
      "http.server.request.duration", "http.request.method", "http.route", "http.response.status_code",
      "error.type", "http.server.request.budget", "budget.level", "http.server.request.time_in_queue",
      "http.server.request");

  /** The request timer; its in-flight long task timer is this name + {@code .active}. */
  public final String requests;
  public final String active;
  public final String method;
  public final String route;
  public final String status;
  public final String error;
  public final String budget;
  public final String flagged;
  public final String level;
  /** The time requests waited for a worker, from the proxy's stamp. */
  public final String queue;
  /** Requests answered 503 before the app ran, tagged with their {@code reason}. */
  public final String shed;
  /** Requests whose client went away before the answer. */
  public final String abandoned;
  /** The worker pool: {@code .busy}, {@code .limit}, {@code .saturated} follow. */
  public final String workers;

  MeterNames(
      String requests, String method, String route, String status, String error, String budget, String level,
      String queue, String prefix) {
    this.requests = requests;
    this.active = requests + ".active";
    this.method = method;
    this.route = route;
    this.status = status;
    this.error = error;
    this.budget = budget;
    this.flagged = budget + ".flagged";
    this.level = level;
    this.queue = queue;
    this.shed = budget + ".shed";
    this.abandoned = prefix + ".abandoned";
    this.workers = prefix + ".workers";
  }

  /** The names of a {@code metric-names} setting. */
  public static MeterNames of(MetricNames naming) {
    return naming == MetricNames.OTEL ? OTEL : SPRING;
  }
}
