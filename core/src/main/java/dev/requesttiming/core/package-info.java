/**
 * The framework-free core of request-timing: endpoint naming, Micrometer recording, in-flight budget
 * flags and slow-endpoint reports. Adapters (such as the servlet filter) translate their framework's
 * requests into {@link dev.requesttiming.core.RequestTiming#start} and
 * {@link dev.requesttiming.core.InFlightRequest#finish} calls.
 *
 * <p>The public API is {@link dev.requesttiming.core.RequestTimingConfig},
 * {@link dev.requesttiming.core.RequestTiming} and {@link dev.requesttiming.core.InFlightRequest};
 * everything else is package-private.
 */
@NullMarked
package dev.requesttiming.core;

import org.jspecify.annotations.NullMarked;
