package dev.requesttiming.core;

/**
 * Never thrown: the "exception" a budget flag is logged with, carrying the stack of the worker
 * thread whose request is still running, so that a log backend prints where the request is stuck
 * (e.g. a socket read in an HTTP client). Its name is what log searches find it by.
 */
public final class RequestStillRunning extends RuntimeException {

  private static final long serialVersionUID = 1L;
  /** The most frames it carries. */
  public static final int MAX_FRAMES = 40;

  /** The stack of a request's worker thread, cut at {@value #MAX_FRAMES} frames. */
  public RequestStillRunning(String message, StackTraceElement[] stack) {
    super(message, null, false, true);
    setStackTrace(stack.length > MAX_FRAMES ? java.util.Arrays.copyOf(stack, MAX_FRAMES) : stack);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // the stack is the worker's, set in the constructor
  }
}
