package dev.requesttiming.examples;

import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.servlet.RequestTimingFilter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The demo's endpoints: fast, path-id, slow, failing and a RAG-like chat whose downstream wait uses
 * the request's remaining budget, plus {@code /metrics}, {@code /report} and {@code /health}.
 */
final class DemoServlet extends HttpServlet {

  /** Time kept back from the remaining budget to answer once the downstream call gives up. */
  private static final Duration MARGIN = Duration.ofMillis(250);

  private final PrometheusMeterRegistry registry;

  DemoServlet(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    String method = req.getMethod();
    if (method.equals("GET") && path.equals("/api/hello")) {
      text(resp, 200, "hello\n");
    } else if (method.equals("GET") && path.startsWith("/api/users/")) {
      text(resp, 200, "{\"id\":\"" + path.substring("/api/users/".length()).replaceAll("[^A-Za-z0-9-]", "") + "\"}\n");
    } else if (method.equals("GET") && (path.equals("/api/slow") || path.startsWith("/api/slow/"))) {
      long ms = parseMillis(req.getParameter("ms"));
      sleep(Duration.ofMillis(ms));
      text(resp, 200, "slept " + ms + "ms\n");
    } else if (method.equals("GET") && path.equals("/api/fail")) {
      throw new IllegalStateException("the demo fails on purpose");
    } else if (method.equals("POST") && path.equals("/api/chat")) {
      chat(resp);
    } else if (method.equals("GET") && path.equals("/metrics")) {
      resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
      resp.getWriter().write(registry.scrape());
    } else if (method.equals("GET") && path.equals("/report")) {
      report(req, resp);
    } else if (method.equals("GET") && path.equals("/health")) {
      text(resp, 200, "ok\n");
    } else {
      resp.sendError(404);
    }
  }

  /**
   * A RAG call with a long-tailed latency (median about 1.5 s, some far past any budget). It waits
   * no longer than the request's remaining budget, so the worker answers 504 instead of being killed.
   */
  private static void chat(HttpServletResponse resp) throws IOException {
    Duration backend = Duration.ofMillis((long) (1500 * Math.exp(0.9 * ThreadLocalRandom.current().nextGaussian())));
    Duration timeout = RequestBudget.current().remainingOr(Duration.ofSeconds(90)).minus(MARGIN);
    if (timeout.isNegative() || timeout.isZero() || backend.compareTo(timeout) > 0) {
      sleep(timeout.isNegative() ? Duration.ZERO : timeout);
      text(resp, 504, "the RAG backend did not answer within the request's remaining budget ("
          + timeout.toMillis() + "ms); answered 504 instead of being killed\n");
      return;
    }
    sleep(backend);
    text(resp, 200, "{\"answer\":\"42\",\"took_ms\":" + backend.toMillis() + "}\n");
  }

  private static void report(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    Object timing = req.getServletContext().getAttribute(RequestTimingFilter.TIMING_ATTRIBUTE);
    if (!(timing instanceof RequestTiming running)) {
      text(resp, 404, "timing is off (--no-timing)\n");
      return;
    }
    resp.setContentType("application/json");
    resp.getWriter().write(running.reports().snapshot().toJson());
  }

  private static long parseMillis(String text) {
    try {
      return Math.max(0, Math.min(120_000, Long.parseLong(text)));
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void text(HttpServletResponse resp, int status, String body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("text/plain; charset=utf-8");
    resp.getWriter().write(body);
  }
}
