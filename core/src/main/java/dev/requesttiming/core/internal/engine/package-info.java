/** Not an API: The request path: the engine, the per-request state, the requests in flight, the endpoints. */
@NullMarked
package dev.requesttiming.core.internal.engine;

import org.jspecify.annotations.NullMarked;
