/**
 * request-timing's API: per-endpoint latency, budget flags while requests run, slow-endpoint
 * reports, and budgets handed to downstream calls. This package is the whole API; the engine lives
 * in {@code dev.requesttiming.core.internal.*}, which the module does not export.
 *
 * <p>For adapters (the servlet filter, the Spring Boot starter):
 *
 * <ul>
 *   <li>{@link dev.requesttiming.core.RequestTimingConfig}: the configuration, built or read from
 *       init-params, with its modes ({@code RequestsTimer}, {@code MetricNames}, {@code
 *       ReportFormat}, {@code Histogram}, {@code PrometheusDirect}).
 *   <li>{@link dev.requesttiming.core.RequestTiming}: everything an adapter calls, from starting and
 *       finishing requests to the container's worker pool.
 *   <li>{@link dev.requesttiming.core.RequestAdapter}: how an adapter reads its framework's requests.
 *   <li>{@link dev.requesttiming.core.RequestTimingMeterFilter}: our histogram on a timer another
 *       instrumentation records, and one in-flight meter.
 * </ul>
 *
 * <p>For application code:
 *
 * <ul>
 *   <li>{@link dev.requesttiming.core.RequestBudget}: the running request's deadline, elapsed and
 *       remaining time.
 *   <li>{@link dev.requesttiming.core.DownstreamBudget}, {@link dev.requesttiming.core.DownstreamCall}
 *       and {@link dev.requesttiming.core.BudgetExhaustedException}: downstream calls that inherit
 *       the budget.
 *   <li>{@link dev.requesttiming.core.RequestStillRunning}: not thrown, the type a flag's stack is
 *       logged as.
 * </ul>
 *
 * <p>For admin pages:
 *
 * <ul>
 *   <li>{@link dev.requesttiming.core.RequestTimingReports}: the reports and the live view's JSON,
 *       from {@code RequestTiming.reports()}.
 *   <li>{@link dev.requesttiming.core.Report} and {@link dev.requesttiming.core.EndpointReport}: the
 *       slow-endpoint report.
 *   <li>{@link dev.requesttiming.core.LiveView}: the live view's page.
 * </ul>
 *
 * <p>The types here hold what their callers see; what they do is the engine's. {@code RequestBudget}
 * and {@code DownstreamCall} are interfaces whose implementations live in the engine.
 */
@NullMarked
package dev.requesttiming.core;

import org.jspecify.annotations.NullMarked;
