package dev.requesttiming.benchmarks;

import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A thread's requests for {@code FilterOverheadBenchmark}: Spring's fake ones ({@link Requests}) or
 * Tomcat's own ({@link TomcatRequests}). Each benchmark runs in a JVM of its own, so a call through
 * this interface sees one kind only and costs what a direct call does.
 */
interface RequestSource {

  /** The next request, ready to be filtered. */
  HttpServletRequest next();

  /** The response, reset for the next request. */
  MockHttpServletResponse response();

  /** A chain that routes like Spring MVC and answers 200. */
  FilterChain chain();
}
