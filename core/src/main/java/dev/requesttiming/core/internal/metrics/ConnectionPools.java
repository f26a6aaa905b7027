package dev.requesttiming.core.internal.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The app's HikariCP pools as their own gauges in the registry tell them (Spring Boot binds them;
 * {@code HikariDataSource.setMetricRegistry} elsewhere): the pool's name for a request waiting for one
 * of its connections, and how full it is. Read by the watchdog and the reporter, never on a request.
 */
public final class ConnectionPools {

  /** How a site names a wait for one of a pool's connections; the pool's name follows. */
  public static final String WAITING_FROM = "waiting for a database connection from ";

  private static final String HIKARI = "hikaricp.connections";

  private final MeterRegistry registry;

  public ConnectionPools(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The name of the app's one HikariCP pool; null with none in the registry, or several. */
  public @Nullable String hikariPool() {
    Set<String> pools = new TreeSet<>();
    for (Meter meter : registry.find(HIKARI + ".max").meters()) {
      String pool = meter.getId().getTag("pool");
      if (pool != null) {
        pools.add(pool);
      }
    }
    return pools.size() == 1 ? pools.iterator().next() : null;
  }

  /** {@code 2 of 2 in use, 18 waiting}: the pool now, from its gauges; null when they are not there. */
  public @Nullable String hikariState(String pool) {
    Double active = gauge(HIKARI + ".active", pool);
    Double max = gauge(HIKARI + ".max", pool);
    Double pending = gauge(HIKARI + ".pending", pool);
    if (active == null || max == null) {
      return null;
    }
    return String.format(Locale.ROOT, "%d of %d in use%s", Math.round(active), Math.round(max),
        pending == null ? "" : ", " + Math.round(pending) + " waiting");
  }

  private @Nullable Double gauge(String name, String pool) {
    Gauge gauge = registry.find(name).tag("pool", pool).gauge();
    if (gauge == null) {
      return null;
    }
    double value = gauge.value();
    return Double.isNaN(value) ? null : value;
  }
}
