package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.util.Stripes;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The requests in flight, so that the watchdog can see requests that have not finished (and may
 * never finish). Requests sit in slots of fixed-size segments; a request claims a free slot near a
 * home derived from its thread's id, so a worker thread usually gets the slot it freed last. Homes are
 * {@value #SLOTS_PER_HOME} slots apart (128 bytes of references: two cache lines, which the
 * adjacent-line prefetcher moves in pairs) and a request first tries the first slot of its home and
 * of the next homes, so that, while there is room, no two requests in flight write the same lines.
 *
 * <ol>
 *   <li>{@link #add} and {@link #remove} may be called from any thread; they are lock-free, O(1) in
 *       the common case, and share no lock or counter among requests.
 *   <li>{@link #forEach} and {@link #find} may run concurrently with them; they see every request
 *       that was added before they started and not removed before they ended, and cost O(slots ever
 *       used at once).
 *   <li>Memory grows to the largest number of requests ever in flight at once, at most {@value
 *       #MAX_SEGMENTS} × {@value #SEGMENT_SIZE}; requests beyond that are timed but not watched.
 * </ol>
 */
public final class InFlightRegistry {

  static final int SEGMENT_SIZE = 1024;
  static final int MAX_SEGMENTS = 1024;
  private static final int PROBES = 64;
  static final int SLOTS_PER_HOME = 32;
  private static final int HOMES_PER_SEGMENT = SEGMENT_SIZE / SLOTS_PER_HOME;

  private final AtomicReferenceArray<AtomicReferenceArray<InFlightRequest>> segments =
      new AtomicReferenceArray<>(MAX_SEGMENTS);
  private volatile int segmentCount = 1;

  InFlightRegistry() {
    segments.set(0, new AtomicReferenceArray<>(SEGMENT_SIZE));
  }

  /** Adds the request and returns its slot, or -1 when it cannot be watched. */
  int add(InFlightRequest request) {
    int id = (int) Stripes.threadId() & Integer.MAX_VALUE;
    while (true) {
      int count = segmentCount;
      int homes = count * HOMES_PER_SEGMENT;
      // threads made one after another have neighbouring homes
      int slot = probe(id % homes, homes, request);
      if (slot < 0 && count > 1) {
        // all full near its home: the newest segment, where the registry last grew, likely has room
        slot = probe((count - 1) * HOMES_PER_SEGMENT + id % HOMES_PER_SEGMENT, homes, request);
      }
      if (slot >= 0) {
        return slot;
      }
      if (!grow(count)) {
        return -1;
      }
    }
  }

  /** Claims a slot near {@code home} among {@code homes}; -1 if all it looked at were taken. */
  private int probe(int home, int homes, InFlightRequest request) {
    // sparse first: the first slot of this home and the next ones, one request per 128 bytes
    for (int i = 0, h = home; i < PROBES; i++, h = h + 1 == homes ? 0 : h + 1) {
      if (claim(h * SLOTS_PER_HOME, request)) {
        return h * SLOTS_PER_HOME;
      }
    }
    // then dense, so that a flood still finds room before the registry grows
    int capacity = homes * SLOTS_PER_HOME;
    for (int i = 0, slot = home * SLOTS_PER_HOME; i < PROBES; i++, slot = slot + 1 == capacity ? 0 : slot + 1) {
      if (claim(slot, request)) {
        return slot;
      }
    }
    return -1;
  }

  private boolean claim(int slot, InFlightRequest request) {
    AtomicReferenceArray<InFlightRequest> segment = segments.get(slot / SEGMENT_SIZE);
    int index = slot % SEGMENT_SIZE;
    return segment.get(index) == null && segment.compareAndSet(index, null, request);
  }

  /** Frees the request's slot; only the request's own finish calls it, once. */
  void remove(int slot, InFlightRequest request) {
    if (slot >= 0) {
      AtomicReferenceArray<InFlightRequest> segment = segments.get(slot / SEGMENT_SIZE);
      if (segment.get(slot % SEGMENT_SIZE) == request) {
        segment.lazySet(slot % SEGMENT_SIZE, null); // no fence needed: no one else writes this slot now
      }
    }
  }

  public void forEach(Consumer<InFlightRequest> action) {
    find(
        request -> {
          action.accept(request);
          return false;
        });
  }

  /** The first request in flight, in slot order, that {@code test} accepts; null if none. */
  public @Nullable InFlightRequest find(Predicate<InFlightRequest> test) {
    int count = segmentCount;
    for (int s = 0; s < count; s++) {
      AtomicReferenceArray<InFlightRequest> segment = segments.get(s);
      for (int i = 0; i < SEGMENT_SIZE; i++) {
        InFlightRequest request = segment.get(i);
        if (request != null && test.test(request)) {
          return request;
        }
      }
    }
    return null;
  }

  public int size() {
    int[] n = {0};
    forEach(r -> n[0]++);
    return n[0];
  }

  private synchronized boolean grow(int seenCount) {
    if (segmentCount != seenCount) {
      return true; // another thread grew it already
    }
    if (seenCount >= MAX_SEGMENTS) {
      return false;
    }
    segments.set(seenCount, new AtomicReferenceArray<>(SEGMENT_SIZE));
    segmentCount = seenCount + 1;
    return true;
  }
}
