package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestBudget;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The application the filter is tested around: one servlet with a behaviour per path. */
final class TestApp extends HttpServlet {

  private static String deadlineOrNone(RequestBudget budget) {
    return budget.isUnlimited() ? "none" : Long.toString(budget.deadline().toEpochMilli());
  }

  static final ScheduledExecutorService LATER = Executors.newScheduledThreadPool(4, r -> {
    Thread t = new Thread(r, "test-app-later");
    t.setDaemon(true);
    return t;
  });

  private final Map<String, LongAdder> served = new ConcurrentHashMap<>();

  /** Requests of /api/slow the servlet finished; those of them that finished past their budget; the most at once. */
  final LongAdder slowFinished = new LongAdder();
  final LongAdder slowFinishedLate = new LongAdder();
  private final java.util.concurrent.atomic.AtomicInteger slowNow = new java.util.concurrent.atomic.AtomicInteger();
  final java.util.concurrent.atomic.AtomicInteger slowMostAtOnce = new java.util.concurrent.atomic.AtomicInteger();

  /** How many requests for this path reached the servlet. */
  long served(String path) {
    LongAdder count = served.get(path);
    return count == null ? 0 : count.sum();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    served.computeIfAbsent(path, p -> new LongAdder()).increment();
    if (path.startsWith("/api/hello") || path.startsWith("/api/users/") || path.startsWith("/any/")) {
      ok(resp, "hello");
    } else if (path.equals("/api/thread")) {
      ok(resp, isVirtual(Thread.currentThread()) ? "virtual" : "platform");
    } else if (path.equals("/api/async")) {
      long ms = Long.parseLong(req.getParameter("ms"));
      AsyncContext async = req.startAsync();
      LATER.schedule(
          () -> {
            try {
              ok((HttpServletResponse) async.getResponse(), "async");
            } catch (IOException e) {
              throw new IllegalStateException(e);
            }
            async.complete();
          },
          ms,
          TimeUnit.MILLISECONDS);
    } else if (path.equals("/api/async-dispatch")) {
      if (req.getDispatcherType() == DispatcherType.ASYNC) {
        ok(resp, "dispatched");
        return;
      }
      AsyncContext async = req.startAsync();
      LATER.schedule((Runnable) async::dispatch, 100, TimeUnit.MILLISECONDS);
    } else if (path.equals("/api/async-timeout")) {
      req.startAsync().setTimeout(200);
    } else if (path.equals("/api/budget")) {
      sleep(Long.parseLong(req.getParameter("sleep")));
      RequestBudget budget = RequestBudget.current();
      ok(resp, budget.budget().toMillis() + " " + budget.remaining().toMillis() + " " + budget.deadline().toEpochMilli());
    } else if (path.equals("/api/budget-async")) {
      RequestBudget onRequestThread = RequestBudget.current();
      AsyncContext async = req.startAsync();
      LATER.execute(
          () -> {
            HttpServletResponse asyncResponse = (HttpServletResponse) async.getResponse();
            try {
              RequestBudget fromFilter = RequestTimingFilter.budgetOf(async.getRequest());
              ok(asyncResponse,
                  onRequestThread.deadline().toEpochMilli() + " " + deadlineOrNone(fromFilter)
                      + " " + (fromFilter == onRequestThread) + " " + RequestBudget.current().isUnlimited());
            } catch (IOException | RuntimeException e) { // answered, so that the test says why instead of waiting
              asyncResponse.setStatus(500);
              try {
                asyncResponse.getWriter().write(e.toString());
              } catch (IOException ignored) {
                // the status says enough
              }
            } finally {
              async.complete();
            }
          });
    } else if (path.equals("/api/commit-then-fail")) {
      resp.setStatus(202);
      resp.getWriter().write("partial");
      resp.flushBuffer();
      throw new IllegalStateException("failed after the response was committed");
    } else if (path.startsWith("/api/fail")) {
      throw new IllegalStateException("boom");
    } else if (path.equals("/api/unavailable")) {
      resp.sendError(503);
    } else if (path.equals("/api/stuck")) {
      waitForTheSlowBackend(Long.parseLong(req.getParameter("ms")));
      ok(resp, "finally");
    } else if (path.equals("/api/big")) {
      sleep(Long.parseLong(req.getParameter("ms")));
      resp.setStatus(200);
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < 256; i++) { // 16 MB, flushed: a client that left makes a write fail
        resp.getOutputStream().write(chunk);
        resp.flushBuffer();
      }
    } else if (path.equals("/api/queued")) {
      queued(req, resp);
    } else if (path.equals("/api/slow")) {
      slowMostAtOnce.accumulateAndGet(slowNow.incrementAndGet(), Math::max);
      try {
        queued(req, resp);
      } finally {
        slowNow.decrementAndGet();
      }
      slowFinished.increment();
      if (RequestBudget.current().isExpired()) {
        slowFinishedLate.increment(); // past its budget from the proxy's stamp: after the proxy gave up
      }
    } else if (path.startsWith("/api/sleep")) {
      sleep(Long.parseLong(req.getParameter("ms")));
      ok(resp, "slept");
    } else {
      resp.sendError(404);
    }
  }

  /** Waits {@code ms} as a slow backend would, and says how long it waited for a worker before (from the proxy's stamp). */
  private static void queued(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    // what the filter counts before the app runs (from the proxy's stamp): the wait for a worker
    resp.setHeader("X-Queue-Ms", Long.toString(RequestBudget.current().elapsed().toMillis()));
    long start = System.nanoTime();
    waitForTheSlowBackend(Long.parseLong(req.getParameter("ms")));
    resp.setHeader("X-App-Ms", Long.toString((System.nanoTime() - start) / 1_000_000));
    ok(resp, "served");
  }

  /** A distinctive name, to be found in the stack of a critical flag. */
  static void waitForTheSlowBackend(long ms) {
    sleep(ms);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void ok(HttpServletResponse resp, String body) throws IOException {
    resp.setStatus(200);
    resp.setContentType("text/plain");
    resp.getWriter().write(body);
  }

  /** {@code Thread.isVirtual()}, which Java 17 (what the tests compile for) does not have. */
  static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (NoSuchMethodException e) {
      return false;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
