package dev.requesttiming.core.internal.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The {@code limit} oldest of the requests offered in one pass over those in flight, kept in a heap
 * of that size, so that a report, a snapshot or the close describes only those, however many run;
 * and how many were offered. One per pass, on one thread.
 */
public final class OldestRequests {

  private final int limit;
  /** The youngest kept on top, to be dropped first. */
  private final PriorityQueue<InFlightRequest> kept;
  private int offered;

  public OldestRequests(int limit) {
    this.limit = Math.max(0, limit);
    this.kept = new PriorityQueue<>(this.limit + 1, Comparator.comparingLong(InFlightRequest::startNanos).reversed());
  }

  /** Counts the request, and keeps it while it is among the {@code limit} oldest offered. */
  public void offer(InFlightRequest request) {
    offered++;
    if (limit > 0 && (kept.size() < limit || request.startNanos() < kept.peek().startNanos())) {
      kept.add(request);
      if (kept.size() > limit) {
        kept.poll();
      }
    }
  }

  /** How many requests were offered. */
  public int offered() {
    return offered;
  }

  /** The requests kept, the oldest first. */
  public List<InFlightRequest> oldestFirst() {
    List<InFlightRequest> oldest = new ArrayList<>(kept);
    oldest.sort(Comparator.comparingLong(InFlightRequest::startNanos));
    return oldest;
  }
}
