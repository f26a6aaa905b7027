package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.RequestBudget;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/**
 * The request each thread serves, or runs wrapped work of: what {@code RequestBudget.current()}
 * answers. A thread keeps an empty slot between requests rather than losing it, so the next request
 * on it allocates nothing; the value, which could pin a web app's classes, is gone.
 */
public final class CurrentRequest {

  private static final ThreadLocal<@Nullable InFlightRequest> CURRENT = new ThreadLocal<>();

  private CurrentRequest() {}

  /** The request this thread serves; null outside of one. */
  public static @Nullable InFlightRequest get() {
    return CURRENT.get();
  }

  /** Makes {@code request} the calling thread's, a request thread that had none. */
  static void bind(InFlightRequest request) {
    CURRENT.set(request);
  }

  /** The calling thread's budget: its request's, or the unlimited one. */
  public static RequestBudget budget() {
    InFlightRequest request = CURRENT.get();
    return request != null ? request : UnlimitedBudget.INSTANCE;
  }

  /** {@code task}, run with the calling thread's request wherever it runs; itself outside a request. */
  public static Runnable wrap(Runnable task) {
    InFlightRequest request = CURRENT.get();
    if (request == null) {
      return task;
    }
    return () -> {
      @Nullable InFlightRequest previous = enter(request);
      try {
        task.run();
      } finally {
        exit(previous);
      }
    };
  }

  /** {@code task}, called with the calling thread's request wherever it runs; itself outside a request. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    InFlightRequest request = CURRENT.get();
    if (request == null) {
      return task;
    }
    return () -> {
      @Nullable InFlightRequest previous = enter(request);
      try {
        return task.call();
      } finally {
        exit(previous);
      }
    };
  }

  /** Makes {@code request} the calling thread's; returns the one it replaces. */
  static @Nullable InFlightRequest enter(InFlightRequest request) {
    InFlightRequest previous = CURRENT.get();
    CURRENT.set(request);
    return previous;
  }

  /** Restores the request {@link #enter} replaced. */
  static void exit(@Nullable InFlightRequest previous) {
    CURRENT.set(previous);
  }

  /** Clears {@code request} from the calling thread if it is the thread's. */
  static void leave(InFlightRequest request) {
    if (CURRENT.get() == request) {
      CURRENT.set(null);
    }
  }
}
