package com.example.shop;

import java.util.concurrent.CountDownLatch;

/** Application code, for tests of where requests are stuck: a call that waits for a slow backend. */
public final class SlowBackend {

  private SlowBackend() {}

  public static void waitForAnswer(CountDownLatch answer) {
    try {
      answer.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
