package dev.requesttiming.core.internal.engine;



import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The budget-aware downstream calls running now, by request, so that flags and stuck-site samples
 * can name what a slow request waits on. Only requests that make such calls are in it: the request
 * itself carries nothing for them.
 */
public final class DownstreamCalls {

  private final ConcurrentHashMap<InFlightRequest, RealDownstreamCall> running = new ConcurrentHashMap<>();

  public void enter(InFlightRequest request, RealDownstreamCall call) {
    running.put(request, call);
  }

  public void exit(InFlightRequest request, RealDownstreamCall call) {
    running.remove(request, call);
  }

  /** What the request waits on now, e.g. {@code POST rag.internal/v1/query}; null when nothing. */
  public @Nullable RealDownstreamCall of(InFlightRequest request) {
    return running.isEmpty() ? null : running.get(request);
  }

  public int size() {
    return running.size();
  }
}
