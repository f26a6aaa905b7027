package dev.requesttiming.core.internal.watchdog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads waiting in real JVM ways, sampled as the watchdog samples them, named by what they wait for. */
class RealWaitsTest {

  private final StuckSite stuckSite = new StuckSite(List.of(RealWaitsTest.class.getName()));
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> started = new java.util.ArrayList<>();

  /** An app-wide lock, held while the work is done. */
  final class Inventory {
    synchronized void holdUntilReleased() {
      awaitRelease();
    }

    synchronized void reserve() {}
  }

  private final ReentrantLock cartLock = new ReentrantLock();

  void lockTheCart() {
    cartLock.lock();
    try {
      awaitRelease();
    } finally {
      cartLock.unlock();
    }
  }

  void awaitRelease() {
    try {
      release.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Thread start(String name, Runnable work) {
    Thread t = new Thread(work, name);
    t.setDaemon(true);
    started.add(t);
    t.start();
    return t;
  }

  @AfterEach
  void releaseAll() throws InterruptedException {
    release.countDown();
    for (Thread t : started) {
      t.join(5_000);
    }
  }

  private StuckSite.Site sampled(Thread thread) {
    return stuckSite.of(new StackSampler().sample(new Thread[] {thread}, 1)[0], null);
  }

  @Test
  void blockedOnAMonitor_namesTheHolderAndWhereItIs() {
    Inventory inventory = new Inventory();
    Thread holder = start("exec-7", inventory::holdUntilReleased);
    await().until(() -> holder.getState() == Thread.State.WAITING || holder.getState() == Thread.State.TIMED_WAITING);
    Thread waiter = start("exec-1", inventory::reserve);
    await().until(() -> waiter.getState() == Thread.State.BLOCKED);

    StuckSite.Site site = sampled(waiter);
    assertThat(site.text())
        .matches("RealWaitsTest\\$Inventory\\.reserve\\(RealWaitsTest\\.java:\\d+\\) blocked on a lock \\(RealWaitsTest\\$Inventory\\)"
            + " held by exec-7, which is at RealWaitsTest\\.awaitRelease\\(RealWaitsTest\\.java:\\d+\\) waiting in CountDownLatch\\.await\\(.*\\)");
    assertThat(site.key()).contains("held by a thread at RealWaitsTest.awaitRelease(").doesNotContain("exec-7");
  }

  @Test
  void waitingForAReentrantLock_namesItsHolder() {
    Thread holder = start("exec-2", this::lockTheCart);
    await().until(cartLock::isLocked);
    Thread waiter = start("exec-3", this::lockTheCart);
    await().until(() -> cartLock.hasQueuedThread(waiter));

    assertThat(sampled(waiter).text())
        .matches("RealWaitsTest\\.lockTheCart\\(RealWaitsTest\\.java:\\d+\\) blocked on a lock \\(ReentrantLock\\) held by exec-2,"
            + " which is at RealWaitsTest\\.awaitRelease\\(.*");
  }

  @Test
  void blockedWritingToStandardOutput_saysSo() throws IOException {
    PrintStream console = System.out;
    PipedInputStream nobodyReads = new PipedInputStream(64);
    PrintStream full = new PrintStream(new PipedOutputStream(nobodyReads), true) {}; // a subclass: its own monitor on any JDK
    System.setOut(full);
    try {
      Thread writer = start("exec-4", () -> full.println("x".repeat(1_000)));
      await().until(() -> writer.getState() == Thread.State.TIMED_WAITING);
      Thread next = start("exec-5", () -> full.println("and one more line"));
      await().until(() -> next.getState() == Thread.State.BLOCKED);

      assertThat(sampled(writer).text()).startsWith("RealWaitsTest.lambda$").endsWith(" writing to the console (standard output or error)");
      assertThat(sampled(next).text()).startsWith("RealWaitsTest.lambda$").endsWith(" writing to standard output");
    } finally {
      System.setOut(console);
      nobodyReads.close();
    }
  }
}
