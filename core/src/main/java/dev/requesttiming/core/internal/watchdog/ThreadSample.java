package dev.requesttiming.core.internal.watchdog;

import org.jspecify.annotations.Nullable;

/**
 * One sampled thread: its stack and state, and, when it is blocked on a monitor or waits for a
 * lock someone owns, that lock's class and identity and the owner's name and stack.
 *
 * @param lockClass the class of the object the thread is blocked or waiting on, or null
 * @param lockIdentity that object's identity hash code (0 without one)
 * @param ownerName the thread holding that lock, or null when none holds it (a queue, a condition)
 * @param ownerStack the owner's stack when it was sampled with the others, else empty
 */
record ThreadSample(
    StackTraceElement[] stack,
    Thread.State state,
    @Nullable String lockClass,
    int lockIdentity,
    @Nullable String ownerName,
    StackTraceElement[] ownerStack) {

  /** No stack: an owner not sampled. */
  static final StackTraceElement[] NO_STACK = new StackTraceElement[0];

  /** A thread in {@code state} with no lock to tell of. */
  static ThreadSample of(StackTraceElement[] stack, Thread.State state) {
    return new ThreadSample(stack, state, null, 0, null, NO_STACK);
  }

  /** On the CPU, or in a native call (a socket read, a file write). */
  boolean runnable() {
    return state == Thread.State.RUNNABLE;
  }

  /** Blocked entering a monitor, or parked on a lock another thread owns. */
  boolean blockedByOwner() {
    return lockClass != null && (state == Thread.State.BLOCKED || ownerName != null);
  }
}
