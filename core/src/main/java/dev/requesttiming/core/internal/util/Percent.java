package dev.requesttiming.core.internal.util;

/** Percentages as the logs and reports print them: whole numbers, {@code 82%}. */
public final class Percent {

  private Percent() {}

  /** A share as a whole percentage, e.g. {@code 100%}. */
  public static String share(double ratio) {
    return Math.round(ratio * 100) + "%";
  }

  /** How much of a budget a time is, rounded down, e.g. {@code 82%}: a flag says 100% only once it is spent. */
  public static String ofBudget(long elapsedNanos, long budgetNanos) {
    return (long) Math.floor(elapsedNanos * 100.0 / budgetNanos) + "%";
  }
}
