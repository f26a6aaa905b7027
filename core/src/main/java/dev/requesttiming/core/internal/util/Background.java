package dev.requesttiming.core.internal.util;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A daemon thread of its own name running one task at a fixed delay, stopped for good by {@link #stop}.
 * The thread sets its own priority and daemon state: a new thread inherits them from the thread
 * that starts it, which in a servlet container may be a low-priority utility thread (a hot redeploy).
 */
public final class Background {

  private final ScheduledExecutorService executor;
  private final AtomicReference<@Nullable Thread> thread = new AtomicReference<>();

  public Background(String threadName, Runnable task, Duration every) {
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              t.setPriority(Thread.NORM_PRIORITY);
              thread.set(t);
              return t;
            });
    long nanos = every.toNanos();
    executor.scheduleWithFixedDelay(task, nanos, nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Stops the thread and waits for it to end (a little while at most), so that a web app being
   * undeployed finds no thread of ours left behind.
   */
  public void stop() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
      Thread t = thread.get();
      if (t != null) {
        t.join(TimeUnit.SECONDS.toMillis(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
