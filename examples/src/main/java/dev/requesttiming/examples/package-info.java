/** The request-timing demo: an embedded Jetty 12 app with the filter, Prometheus metrics and traffic. */
@NullMarked
package dev.requesttiming.examples;

import org.jspecify.annotations.NullMarked;
