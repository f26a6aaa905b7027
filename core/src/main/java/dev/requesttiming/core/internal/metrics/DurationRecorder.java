package dev.requesttiming.core.internal.metrics;

/** Where a finished request's duration goes: Micrometer's timer, or a {@link StripedTimer}. */
@FunctionalInterface
public interface DurationRecorder {
  void record(long nanos);
}
