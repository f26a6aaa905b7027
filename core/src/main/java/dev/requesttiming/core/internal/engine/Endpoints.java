package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.EndpointBudgets;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Settings;
import dev.requesttiming.core.internal.metrics.Meters;
import dev.requesttiming.core.internal.naming.EndpointNaming;
import dev.requesttiming.core.internal.naming.PathNormalizer;
import dev.requesttiming.core.internal.util.Loggers;
import dev.requesttiming.core.internal.util.SafeText;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * The endpoints seen so far, at most {@code max-endpoints} of them besides the special names
 * ({@code NOT_FOUND}, {@code REDIRECTION}, {@code OTHER}, {@code UNKNOWN}); past the bound a new
 * endpoint is recorded as {@code OTHER} and one WARN says so.
 *
 * <p>Thread-safe; lookups of known endpoints are lock-free and allocate nothing.
 */
public final class Endpoints {

  private static final Logger LOG = Loggers.CONFIG;

  private final List<ConcurrentHashMap<String, Endpoint>> byMethod = new ArrayList<>();
  private final AtomicInteger regularCount = new AtomicInteger();
  private final AtomicBoolean warnedFull = new AtomicBoolean();
  private final int maxEndpoints;
  private final EndpointBudgets budgets;
  private final ShedReason[] shedReasons;
  private final boolean tracksTypical;
  private final Meters meters;

  Endpoints(Settings settings, Meters meters) {
    this.maxEndpoints = settings.maxEndpoints();
    this.budgets = settings.endpointBudgets();
    this.shedReasons = shedReasons(settings);
    this.tracksTypical = settings.admissionControl();
    this.meters = meters;
    for (int i = 0; i < HttpMethod.ALL.length; i++) {
      byMethod.add(new ConcurrentHashMap<>());
    }
  }

  /** The endpoint, created if new and the bound allows, else {@code OTHER}. */
  public Endpoint get(HttpMethod method, String uri) {
    ConcurrentHashMap<String, Endpoint> map = byMethod.get(method.ordinal());
    Endpoint endpoint = map.get(uri);
    if (endpoint != null) {
      return endpoint;
    }
    if (EndpointNaming.isSpecial(uri)) {
      return map.computeIfAbsent(uri, u -> create(method, u));
    }
    if (regularCount.get() < maxEndpoints) {
      endpoint = map.computeIfAbsent(uri, u -> claimSlot() ? create(method, u) : null);
      if (endpoint != null) {
        return endpoint;
      }
    }
    warnOnceFull(method, uri);
    return map.computeIfAbsent(EndpointNaming.OTHER, u -> create(method, u));
  }

  /** The endpoint if it is known already, without creating one. */
  public @Nullable Endpoint existing(HttpMethod method, String uri) {
    return byMethod.get(method.ordinal()).get(uri);
  }

  public List<Endpoint> all() {
    List<Endpoint> all = new ArrayList<>();
    byMethod.forEach(map -> all.addAll(map.values()));
    return all;
  }

  private boolean claimSlot() {
    while (true) {
      int count = regularCount.get();
      if (count >= maxEndpoints) {
        return false;
      }
      if (regularCount.compareAndSet(count, count + 1)) {
        return true;
      }
    }
  }

  private Endpoint create(HttpMethod method, String uri) {
    return new Endpoint(method, uri, budgets.budgetFor(method, uri), meters, shedReasons, tracksTypical);
  }

  /** The reasons requests may be shed for, as configured: each endpoint has a counter of each. */
  private static ShedReason[] shedReasons(Settings settings) {
    List<ShedReason> reasons = new ArrayList<>();
    if (settings.shedSpent()) {
      reasons.add(ShedReason.SPENT);
    }
    if (settings.shedLate()) {
      reasons.add(ShedReason.LATE);
    }
    if (!settings.endpointLimits().isEmpty()) {
      reasons.add(ShedReason.LIMIT);
    }
    if (settings.endpointShare() != null) {
      reasons.add(ShedReason.SHARE);
    }
    return reasons.toArray(ShedReason[]::new);
  }

  private void warnOnceFull(HttpMethod method, String uri) {
    if (warnedFull.compareAndSet(false, true)) {
      LOG.warn(
          "max-endpoints ({}) reached: new endpoints such as '{} {}' are recorded as OTHER from now"
              + " on; add their templates to 'routes' or raise 'max-endpoints'",
          maxEndpoints,
          method,
          SafeText.of(uri, PathNormalizer.MAX_LENGTH));
    }
  }
}
