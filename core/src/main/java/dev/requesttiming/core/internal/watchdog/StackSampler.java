package dev.requesttiming.core.internal.watchdog;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Takes the stacks of several threads at once. {@code Thread.getStackTrace()} of another thread is a
 * VM operation that pauses the application (a safepoint on Java 17); {@link
 * ThreadMXBean#getThreadInfo(long[], int)} takes a whole batch, at a bounded depth, in one such
 * pause. Threads it does not cover (virtual threads) and JVMs without {@code java.management} fall
 * back to {@code getStackTrace()}.
 *
 * <p>Used by the watchdog thread only.
 */
final class StackSampler {

  /** Deep enough to reach application code under JDK, client-library and framework frames. */
  static final int MAX_DEPTH = 128;

  private final @Nullable ThreadMXBean mxBean = threadMXBean();

  private static @Nullable ThreadMXBean threadMXBean() {
    try {
      return ManagementFactory.getThreadMXBean();
    } catch (RuntimeException | LinkageError e) {
      return null; // e.g. a runtime image without java.management
    }
  }

  /**
   * The current stacks of {@code threads[0..count)}; an ended thread's stack is empty. {@code
   * running[i]} says whether thread i was runnable when sampled (on the CPU, or in a native call).
   */
  StackTraceElement[][] stacks(Thread[] threads, int count, boolean[] running) {
    StackTraceElement[][] stacks = new StackTraceElement[count][];
    ThreadInfo[] infos = batch(threads, count);
    for (int i = 0; i < count; i++) {
      ThreadInfo info = infos == null ? null : infos[i];
      stacks[i] = info != null ? info.getStackTrace() : threads[i].getStackTrace();
      Thread.State state = info != null ? info.getThreadState() : threads[i].getState();
      running[i] = state == Thread.State.RUNNABLE;
    }
    return stacks;
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
  private ThreadInfo @Nullable [] batch(Thread[] threads, int count) {
    if (mxBean == null) {
      return null;
    }
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = threads[i].getId();
    }
    try {
      return mxBean.getThreadInfo(ids, MAX_DEPTH);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
