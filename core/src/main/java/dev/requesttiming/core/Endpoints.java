package dev.requesttiming.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoints seen so far, at most {@code max-endpoints} of them besides the special names
 * ({@code NOT_FOUND}, {@code REDIRECTION}, {@code OTHER}, {@code UNKNOWN}); past the bound a new
 * endpoint is recorded as {@code OTHER} and one WARN says so.
 *
 * <p>Thread-safe; lookups of known endpoints are lock-free and allocate nothing.
 */
final class Endpoints {

  private static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.config");

  private final List<ConcurrentHashMap<String, Endpoint>> byMethod = new ArrayList<>();
  private final AtomicInteger regularCount = new AtomicInteger();
  private final AtomicBoolean warnedFull = new AtomicBoolean();
  private final int maxEndpoints;
  private final EndpointBudgets budgets;
  private final Meters meters;

  Endpoints(RequestTimingConfig config, Meters meters) {
    this.maxEndpoints = config.maxEndpoints();
    this.budgets = config.endpointBudgets();
    this.meters = meters;
    for (int i = 0; i < HttpMethod.ALL.length; i++) {
      byMethod.add(new ConcurrentHashMap<>());
    }
  }

  /** The endpoint, created if new and the bound allows, else {@code OTHER}. */
  Endpoint get(HttpMethod method, String uri) {
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
  @Nullable Endpoint existing(HttpMethod method, String uri) {
    return byMethod.get(method.ordinal()).get(uri);
  }

  List<Endpoint> all() {
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
    return new Endpoint(method, uri, budgets.budgetFor(method, uri), meters);
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
