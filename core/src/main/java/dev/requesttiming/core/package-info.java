/**
 * The framework-free core of request-timing: endpoint naming, Micrometer recording, in-flight budget
 * flags and slow-endpoint reports. Adapters (such as the servlet filter) translate their framework's
 * requests into {@link dev.requesttiming.core.RequestTiming#start} and
 * {@link dev.requesttiming.core.RequestTiming#finish} calls.
 *
 * <p>The public API: {@link dev.requesttiming.core.RequestTimingConfig} (configuration),
 * {@link dev.requesttiming.core.RequestTiming} (the engine, for adapters),
 * {@link dev.requesttiming.core.RequestBudget} (for application code),
 * {@link dev.requesttiming.core.DownstreamBudget}, {@link dev.requesttiming.core.DownstreamCall} and
 * {@link dev.requesttiming.core.BudgetExhaustedException} (downstream calls that inherit the budget),
 * {@link dev.requesttiming.core.Report} and {@link dev.requesttiming.core.EndpointReport} (the
 * slow-endpoint report), {@link dev.requesttiming.core.RequestTimingMeterFilter} (our histogram on
 * a timer another instrumentation records). Everything else is package-private.
 */
@NullMarked
package dev.requesttiming.core;

import org.jspecify.annotations.NullMarked;
