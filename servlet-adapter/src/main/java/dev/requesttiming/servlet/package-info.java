/**
 * The servlet adapter: {@link dev.requesttiming.servlet.RequestTimingFilter}, a Jakarta Servlet 6
 * filter that times every request with request-timing core.
 */
@NullMarked
package dev.requesttiming.servlet;

import org.jspecify.annotations.NullMarked;
