/** Not an API: The live view's snapshot: what runs now against its budget, the recent slow requests, the workers' fill. */
@NullMarked
package dev.requesttiming.core.internal.live;

import org.jspecify.annotations.NullMarked;
