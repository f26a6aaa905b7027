package dev.requesttiming.core;

/**
 * Not thrown: carries the stack of a worker thread whose request is still running, so that a log
 * backend prints where the request is stuck (e.g. a socket read in an HTTP client) as the flag's
 * "exception".
 */
final class RequestStillRunning extends RuntimeException {

  static final int MAX_FRAMES = 40;

  RequestStillRunning(String message, StackTraceElement[] stack) {
    super(message, null, false, true);
    setStackTrace(stack.length > MAX_FRAMES ? java.util.Arrays.copyOf(stack, MAX_FRAMES) : stack);
  }

  @Override
  public synchronized Throwable fillInStackTrace() {
    return this; // the stack is the worker's, set in the constructor
  }
}
