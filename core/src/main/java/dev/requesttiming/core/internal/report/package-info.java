/** Not an API: The slow-endpoint report: drains the endpoints' statistics, ranks them, writes the table and the JSON. */
@NullMarked
package dev.requesttiming.core.internal.report;

import org.jspecify.annotations.NullMarked;
