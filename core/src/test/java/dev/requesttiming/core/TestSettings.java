package dev.requesttiming.core;

import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.watchdog.Watchdog;

/** Lets tests of the engine's packages reach what the API keeps to itself. */
public final class TestSettings {

  private TestSettings() {}

  /** The checked values behind a configuration. */
  public static Settings of(RequestTimingConfig config) {
    return config.settings();
  }

  /** The engine behind a {@link RequestTiming}. */
  public static Engine engine(RequestTiming<?> timing) {
    return timing.engine();
  }

  /** The watchdog behind a {@link RequestTiming}, to scan with a test's clock. */
  public static Watchdog watchdog(RequestTiming<?> timing) {
    return timing.watchdog();
  }
}
