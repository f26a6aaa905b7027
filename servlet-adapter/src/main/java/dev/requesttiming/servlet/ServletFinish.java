package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

/**
 * Ends the timing of a request when the chain returns, or, for an asynchronous request, when its
 * {@link AsyncContext} completes: {@code onTimeout} and {@code onError} only remember the error,
 * since the final status is known at {@code onComplete}.
 */
final class ServletFinish implements AsyncListener {

  private final RequestTiming<HttpServletRequest> timing;
  private final RequestBudget timed;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private volatile @Nullable Throwable error;

  private ServletFinish(
      RequestTiming<HttpServletRequest> timing,
      RequestBudget timed,
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Throwable error) {
    this.timing = timing;
    this.timed = timed;
    this.request = request;
    this.response = response;
    this.error = error;
  }

  /** Called in the filter's {@code finally}; never throws. */
  static void afterChain(
      RequestTiming<HttpServletRequest> timing,
      RequestBudget timed,
      HttpServletRequest request,
      HttpServletResponse response,
      @Nullable Throwable error) {
    try {
      if (ClientGone.in(error)) {
        timing.clientGone(timed);
      }
      if (request.isAsyncStarted()) {
        timing.continueAsync(timed);
        request
            .getAsyncContext()
            .addListener(new ServletFinish(timing, timed, request, response, error), request, response);
        return;
      }
      timing.finish(timed, status(response, error), handlerError(error, request));
    } catch (RuntimeException | LinkageError e) {
      timing.failedOpen("ending a request's timing", e);
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    try {
      Throwable failure = error;
      timing.finish(timed, status(response, failure), handlerError(failure, request));
    } catch (RuntimeException | LinkageError e) {
      timing.failedOpen("ending an async request's timing", e);
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    if (event.getThrowable() != null) {
      error = event.getThrowable();
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    if (event.getThrowable() != null) {
      error = event.getThrowable();
      if (ClientGone.in(event.getThrowable())) {
        timing.clientGone(timed);
      }
    }
  }

  @Override
  public void onStartAsync(AsyncEvent event) {
    try {
      event.getAsyncContext().addListener(this, request, response);
    } catch (RuntimeException | LinkageError e) {
      timing.failedOpen("following a restarted async request", e);
    }
  }

  /**
   * The exception a request ended with, as Spring's observation names it in {@code exception} and
   * {@code error.type}: the one thrown, unwrapped from the {@link ServletException} a servlet (Spring's
   * {@code DispatcherServlet}) wrapped it in; else one an exception handler resolved to an error view
   * and left in the request attribute {@value RequestDispatcher#ERROR_EXCEPTION}.
   */
  static @Nullable Throwable handlerError(@Nullable Throwable thrown, ServletRequest request) {
    if (thrown != null) {
      return thrown instanceof ServletException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }
    return request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable handled ? handled : null;
  }

  /** The status the client gets: a 500 for an exception, unless a status was committed before. */
  private static int status(HttpServletResponse response, @Nullable Throwable error) {
    if (error != null && !response.isCommitted()) {
      return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    }
    return response.getStatus();
  }
}
