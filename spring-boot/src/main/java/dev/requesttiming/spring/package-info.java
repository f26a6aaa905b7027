/**
 * Spring Boot 3 auto-configuration of request-timing: add the dependency and the filter times every
 * request, configured by {@code request-timing.*} properties.
 */
@NullMarked
package dev.requesttiming.spring;

import org.jspecify.annotations.NullMarked;
