package dev.requesttiming.core;

import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The budget-aware downstream calls running now, by request, so that flags and stuck-site samples
 * can name what a slow request waits on. Only requests that make such calls are in it: the request
 * itself carries nothing for them.
 */
final class DownstreamCalls {

  private final ConcurrentHashMap<RequestBudget, DownstreamCall> running = new ConcurrentHashMap<>();

  void enter(RequestBudget request, DownstreamCall call) {
    running.put(request, call);
  }

  void exit(RequestBudget request, DownstreamCall call) {
    running.remove(request, call);
  }

  /** What the request waits on now, e.g. {@code POST rag.internal/v1/query}; null when nothing. */
  @Nullable DownstreamCall of(RequestBudget request) {
    return running.isEmpty() ? null : running.get(request);
  }

  int size() {
    return running.size();
  }
}
