/** Not an API: The Micrometer meters, the request timer's histogram, and direct publishing to Prometheus. */
@NullMarked
package dev.requesttiming.core.internal.metrics;

import org.jspecify.annotations.NullMarked;
