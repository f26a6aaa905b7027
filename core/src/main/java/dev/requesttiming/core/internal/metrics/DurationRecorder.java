package dev.requesttiming.core.internal.metrics;

/** Where a finished request's duration goes: Micrometer's timer, or a {@link StripedTimer}. */
@FunctionalInterface
public interface DurationRecorder {

  /**
   * Records a duration that ended at {@code nowNanos}, on the registry clock's monotonic time (the
   * time the caller read to measure it, so that recording reads no clock of its own).
   */
  void record(long nanos, long nowNanos);
}
