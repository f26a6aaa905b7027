package dev.requesttiming.spring;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts a thread blocked in a downstream call when the call's budget runs out. The JDK's
 * {@code HttpClient}, Reactor Netty and Jetty clients wait for a response in an interruptible way
 * (a future's {@code get}, {@code Mono.block}), and give up when interrupted; Spring's request
 * factories for them only take a timeout fixed per factory. One daemon thread for all calls.
 */
final class CallInterrupter implements AutoCloseable {

  private final ScheduledThreadPoolExecutor timer;

  CallInterrupter() {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread t = new Thread(task, "request-timing-downstream");
              t.setDaemon(true);
              t.setPriority(Thread.NORM_PRIORITY); // not the priority of whoever starts it
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Interrupts the calling thread after {@code delay} unless {@link Armed#disarm()} comes first. */
  Armed arm(Duration delay) {
    Armed armed = new Armed(Thread.currentThread());
    armed.future = timer.schedule(armed::fire, Math.max(1, delay.toNanos()), TimeUnit.NANOSECONDS);
    return armed;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  /** One armed call: the interrupt happens while the call runs, or not at all. */
  static final class Armed {
    private static final int ARMED = 0;
    private static final int FIRING = 1;
    private static final int FIRED = 2;
    private static final int DISARMED = 3;

    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(ARMED);
    private volatile ScheduledFuture<?> future;

    private Armed(Thread thread) {
      this.thread = thread;
    }

    private void fire() {
      if (state.compareAndSet(ARMED, FIRING)) {
        thread.interrupt();
        state.set(FIRED);
      }
    }

    /**
     * Ends the call on its thread. When the interrupt was delivered it is cleared, so that it does
     * not hit the app's next wait.
     *
     * @return whether the interrupt was delivered
     */
    boolean disarm() {
      if (state.compareAndSet(ARMED, DISARMED)) {
        ScheduledFuture<?> f = future;
        if (f != null) {
          f.cancel(false);
        }
        return false;
      }
      while (state.get() == FIRING) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
      return true;
    }
  }
}
