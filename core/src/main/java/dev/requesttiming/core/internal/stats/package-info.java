/** Not an API: Statistics for the reports: latency buckets, striped interval counts, stuck-site samples. */
@NullMarked
package dev.requesttiming.core.internal.stats;

import org.jspecify.annotations.NullMarked;
