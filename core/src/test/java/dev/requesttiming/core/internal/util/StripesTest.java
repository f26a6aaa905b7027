package dev.requesttiming.core.internal.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class StripesTest {

  /** A pool's threads are made one after another: as many of them as cells each get a cell of their own. */
  @Test
  void threadsMadeOneAfterAnother_eachWriteACellOfTheirOwn() throws Exception {
    int cells = 16;
    AtomicIntegerArray cellOf = new AtomicIntegerArray(cells);
    Thread[] threads = new Thread[cells];
    for (int t = 0; t < cells; t++) {
      int index = t;
      threads[t] = new Thread(() -> cellOf.set(index, Stripes.ofThisThread(cells)));
    }
    for (int t = 1; t < cells; t++) {
      assumeTrue(threads[t].getId() == threads[t - 1].getId() + 1, "another thread was made in between");
    }
    for (Thread thread : threads) {
      thread.start();
      thread.join();
    }
    Set<Integer> seen = new HashSet<>();
    for (int t = 0; t < cells; t++) {
      seen.add(cellOf.get(t));
    }
    assertThat(seen).hasSize(cells);
  }

  @Test
  void oneCell_isTheOnlyChoice() {
    assertThat(Stripes.ofThisThread(1)).isZero();
  }
}
