package dev.requesttiming.core;

/** Where a finished request's duration goes: Micrometer's timer, or a {@link StripedTimer}. */
@FunctionalInterface
interface DurationRecorder {
  void record(long nanos);
}
