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

  /** {@code SimpleMappingExceptionResolver.DEFAULT_EXCEPTION_ATTRIBUTE}: the exception in an error view's model. */
  static final String SPRING_ERROR_VIEW_MODEL = "exception";

  private final RequestTiming<HttpServletRequest> timing;
  private final RequestBudget timed;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final boolean springMvc;
  private volatile @Nullable Throwable error;

  private ServletFinish(
      RequestTiming<HttpServletRequest> timing,
      RequestBudget timed,
      HttpServletRequest request,
      HttpServletResponse response,
      boolean springMvc,
      @Nullable Throwable error) {
    this.timing = timing;
    this.timed = timed;
    this.request = request;
    this.response = response;
    this.springMvc = springMvc;
    this.error = error;
  }

  /**
   * Called in the filter's {@code finally}; never throws.
   *
   * @param springMvc whether Spring MVC is in the app, whose error views leave their exception in its own attributes
   */
  static void afterChain(
      RequestTiming<HttpServletRequest> timing,
      RequestBudget timed,
      HttpServletRequest request,
      HttpServletResponse response,
      boolean springMvc,
      @Nullable Throwable error) {
    try {
      if (ClientGone.in(error)) {
        timing.clientGone(timed);
      }
      if (request.isAsyncStarted()) {
        timing.continueAsync(timed);
        request
            .getAsyncContext()
            .addListener(new ServletFinish(timing, timed, request, response, springMvc, error), request, response);
        return;
      }
      timing.finish(timed, status(response, error), handlerError(error, request, springMvc));
    } catch (RuntimeException | LinkageError e) {
      timing.failedOpen("ending a request's timing", e);
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    try {
      Throwable failure = error;
      timing.finish(timed, status(response, failure), handlerError(failure, request, springMvc));
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
   * {@code DispatcherServlet}) wrapped it in; else one an exception handler resolved and left in the
   * request attribute {@value RequestDispatcher#ERROR_EXCEPTION}. Spring MVC 6.1 and later clear that
   * attribute once the error view is rendered, but a JSP view leaves the model's {@value
   * #SPRING_ERROR_VIEW_MODEL} ({@code SimpleMappingExceptionResolver}'s) as a request attribute. An
   * exception a resolver answered without a view ({@code @ResponseStatus}, a 405) is not tagged, as
   * Spring's observation does not tag it.
   */
  static @Nullable Throwable handlerError(@Nullable Throwable thrown, ServletRequest request, boolean springMvc) {
    if (thrown != null) {
      return thrown instanceof ServletException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable handled) {
      return handled;
    }
    if (!springMvc) {
      return null;
    }
    return request.getAttribute(SPRING_ERROR_VIEW_MODEL) instanceof Throwable handled ? handled : null;
  }

  /** Whether Spring MVC's {@code DispatcherServlet} is in the web app. */
  static boolean springMvcIn(ClassLoader loader) {
    return Containers.load(loader, "org.springframework.web.servlet.DispatcherServlet") != null;
  }

  /** The status the client gets: a 500 for an exception, unless a status was committed before. */
  private static int status(HttpServletResponse response, @Nullable Throwable error) {
    if (error != null && !response.isCommitted()) {
      return HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
    }
    return response.getStatus();
  }
}
