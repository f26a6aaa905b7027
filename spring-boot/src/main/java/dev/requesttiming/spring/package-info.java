/**
 * Spring Boot 3.5 and 4.x auto-configuration of request-timing: add the dependency and the filter
 * times every request, configured by {@code request-timing.*} properties; the {@code RestClient}
 * and {@code RestTemplate} built from Boot's builders inherit each request's budget.
 */
@NullMarked
package dev.requesttiming.spring;

import org.jspecify.annotations.NullMarked;
