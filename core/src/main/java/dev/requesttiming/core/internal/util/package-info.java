/** Not an API: Helpers every part uses: log text (durations, JSON, safe text), the loggers, failing open, background threads, striping. */
@NullMarked
package dev.requesttiming.core.internal.util;

import org.jspecify.annotations.NullMarked;
