/** Not an API: The table of parameters ({@link dev.requesttiming.core.internal.config.Parameters}), their parsing and checks, and the checked {@link dev.requesttiming.core.internal.config.Settings} the engine reads. */
@NullMarked
package dev.requesttiming.core.internal.config;

import org.jspecify.annotations.NullMarked;
