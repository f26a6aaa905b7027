package dev.requesttiming.core.internal.watchdog;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Takes the stacks of several threads at once. {@code Thread.getStackTrace()} of another thread is a
 * VM operation that pauses the application (a safepoint on Java 17); {@link
 * ThreadMXBean#getThreadInfo(long[], int)} takes a whole batch, at a bounded depth, in one such
 * pause. Threads it does not cover (virtual threads) and JVMs without {@code java.management} fall
 * back to {@code getStackTrace()}, without lock details. The JVM tells the lock a thread is blocked on
 * and its owner for monitors and for {@code java.util.concurrent} locks (ownable synchronizers).
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
   * The threads {@code threads[0..count)} now: each one's stack and state (an ended thread's stack is
   * empty), and for a thread blocked on a lock another thread owns, that lock and its owner, whose
   * stacks are taken in a second batch (only when some thread is blocked so; each owner once).
   */
  ThreadSample[] sample(Thread[] threads, int count) {
    ThreadSample[] samples = new ThreadSample[count];
    ThreadInfo[] infos = batch(ids(threads, count));
    long[] owners = new long[count]; // distinct: the waiters of one lock share its owner
    int ownerCount = 0;
    for (int i = 0; i < count; i++) {
      ThreadInfo info = infos == null ? null : infos[i];
      if (info != null && info.getLockOwnerId() >= 0 && indexOf(owners, ownerCount, info.getLockOwnerId()) < 0) {
        owners[ownerCount++] = info.getLockOwnerId();
      }
    }
    ThreadInfo[] ownerInfos = ownerCount == 0 ? null : batch(Arrays.copyOf(owners, ownerCount));
    for (int i = 0; i < count; i++) {
      ThreadInfo info = infos == null ? null : infos[i];
      if (info == null) {
        samples[i] = ThreadSample.of(threads[i].getStackTrace(), threads[i].getState());
        continue;
      }
      LockInfo lock = info.getLockInfo();
      StackTraceElement[] ownerStack = ThreadSample.NO_STACK;
      if (info.getLockOwnerId() >= 0 && ownerInfos != null) {
        ThreadInfo owner = ownerInfos[indexOf(owners, ownerCount, info.getLockOwnerId())];
        ownerStack = owner == null ? ThreadSample.NO_STACK : owner.getStackTrace();
      }
      samples[i] = new ThreadSample(info.getStackTrace(), info.getThreadState(),
          lock == null ? null : lock.getClassName(), lock == null ? 0 : lock.getIdentityHashCode(),
          info.getLockOwnerName(), ownerStack);
    }
    return samples;
  }

  private static int indexOf(long[] ids, int count, long id) {
    for (int i = 0; i < count; i++) {
      if (ids[i] == id) {
        return i;
      }
    }
    return -1;
  }

  @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19+
  private static long[] ids(Thread[] threads, int count) {
    long[] ids = new long[count];
    for (int i = 0; i < count; i++) {
      ids[i] = threads[i].getId();
    }
    return ids;
  }

  private ThreadInfo @Nullable [] batch(long[] ids) {
    if (mxBean == null) {
      return null;
    }
    try {
      return mxBean.getThreadInfo(ids, MAX_DEPTH);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
