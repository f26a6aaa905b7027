/** Not an API: The watchdog: flags requests in flight against their budgets, samples where slow ones are stuck, logs flags. */
@NullMarked
package dev.requesttiming.core.internal.watchdog;

import org.jspecify.annotations.NullMarked;
