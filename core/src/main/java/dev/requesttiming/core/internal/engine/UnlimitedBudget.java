package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.RequestBudget;
import java.time.Duration;
import java.time.Instant;

/** The budget outside of any timed request: it never runs out. Immutable. */
public final class UnlimitedBudget implements RequestBudget {

  public static final UnlimitedBudget INSTANCE = new UnlimitedBudget();
  private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);

  private UnlimitedBudget() {}

  @Override
  public boolean isUnlimited() {
    return true;
  }

  @Override
  public Duration budget() {
    return FOREVER;
  }

  @Override
  public Duration elapsed() {
    return Duration.ZERO;
  }

  @Override
  public Duration remaining() {
    return FOREVER;
  }

  @Override
  public boolean isExpired() {
    return false;
  }

  @Override
  public Instant deadline() {
    return Instant.MAX;
  }

  @Override
  public String toString() {
    return "RequestBudget[unlimited]";
  }
}
