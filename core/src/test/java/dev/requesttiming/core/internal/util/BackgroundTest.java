package dev.requesttiming.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundTest {

  /** A hot redeploy in Tomcat starts the app from a utility thread of priority 1 that is not a daemon. */
  @Test
  void itsThread_hasNormalPriorityAndIsADaemon_whateverThreadStartsIt() throws Exception {
    BlockingQueue<Thread> ran = new ArrayBlockingQueue<>(1);
    Background[] started = new Background[1];
    Thread lowPriority = new Thread(() -> started[0] = new Background("test-background", () -> ran.offer(Thread.currentThread()), Duration.ofMillis(10)));
    lowPriority.setPriority(Thread.MIN_PRIORITY);
    lowPriority.setDaemon(false);
    lowPriority.start();
    lowPriority.join();
    try {
      Thread thread = ran.poll(10, TimeUnit.SECONDS);
      assertThat(thread).isNotNull();
      assertThat(thread.getName()).isEqualTo("test-background");
      assertThat(thread.getPriority()).isEqualTo(Thread.NORM_PRIORITY);
      assertThat(thread.isDaemon()).isTrue();
    } finally {
      started[0].stop();
    }
  }
}
