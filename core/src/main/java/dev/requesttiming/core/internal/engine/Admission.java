package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.EndpointLimits;
import dev.requesttiming.core.internal.config.HttpMethod;
import dev.requesttiming.core.internal.config.Settings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Admission control under overload: whether a request, as it starts and before the app runs, is
 * answered {@code 503} at once, so that one slow endpoint cannot take every worker and nothing is
 * worked on that cannot be answered in time. Present only when {@code shed-late}, {@code
 * endpoint-share} or {@code endpoint-limits} is set; without them no response changes.
 *
 * <ul>
 *   <li>{@code endpoint-limits}: at most N requests of a rule in flight, always ({@link Gate.Cap}).
 *   <li>{@code shed-late}: a request that lost part of its budget before it started (its wait for a
 *       worker, its caller's deadline) and has less left than its endpoint typically takes.
 *   <li>{@code endpoint-share}: while other endpoints' requests wait for workers, a gate holding its
 *       share of the worker limit refuses its next requests. Others wait when another gate's requests
 *       arrived having waited (the proxy's stamp), or, while another gate had requests in the last
 *       second, when the container's queue holds requests or the workers are saturated; once a gate
 *       refused, it holds that decision for {@value #HOLD_MILLIS} ms after its last refusal while
 *       others are active, so that it does not flap at the threshold. It never refuses while workers
 *       are idle and nobody waits, nor when its own requests are all the traffic (they may then have
 *       every worker), and does nothing where the worker limit is unknown. Its requests in flight are
 *       summed only under pressure ({@link #underPressure}).
 * </ul>
 *
 * <p>Requests are admitted per {@link Gate}: their method and the name of their path before the app
 * runs (a configured route or the normalized path), learned to be an endpoint as they finish.
 *
 * <ol>
 *   <li>{@link #admit} and {@link #release} may be called from any thread; they are lock-free. A
 *       request writes its gate's counter (with {@code endpoint-share}) and its rule's cap (with
 *       {@code endpoint-limits}): counters shared by the requests of one endpoint, the price of an
 *       exact count, paid only when these are on. Nothing is written that all requests share.
 *   <li>Gates are never removed, at most {@code 2 × max-endpoints} of them (a scanner's paths take
 *       them up too); past that, the requests of a new name that an {@code endpoint-limits} rule
 *       matches share that rule's one gate, and others are admitted uncounted. A request finds the
 *       same gate when it starts and when it finishes: once the gates are all taken, none is added.
 * </ol>
 */
public final class Admission {

  /** A request that waited this long for a worker tells that its gate's requests wait. */
  static final long WAITED_NANOS = 50_000_000L;
  /** How recent another gate's start, or wait, must be to count. */
  static final long RECENT_NANOS = 1_000_000_000L;
  static final long HOLD_MILLIS = 2_000;
  private static final long HOLD_NANOS = HOLD_MILLIS * 1_000_000L;

  private final List<ConcurrentHashMap<String, Gate>> byMethod = new ArrayList<>();
  private final AtomicInteger gateCount = new AtomicInteger();
  private final int maxGates;
  private final boolean shedLate;
  private final double share;
  private final EndpointLimits limits;
  private final Map<EndpointLimits.Rule, Gate.Cap> caps = new HashMap<>();
  /** Per rule, the gate of the names that found no gate of their own once the gates were all taken. */
  private final Map<EndpointLimits.Rule, Gate> overflow = new HashMap<>();
  private final Workers workers;
  /** When a request last started having waited for a worker (any gate's), to within 50 ms. */
  private volatile long lastWaitedNanos = Moments.NEVER;

  private Admission(Settings settings, Workers workers) {
    this.maxGates = 2 * settings.maxEndpoints();
    this.shedLate = settings.shedLate();
    Double configured = settings.endpointShare();
    this.share = configured == null ? 0 : configured;
    this.limits = settings.endpointLimits();
    for (EndpointLimits.Rule rule : limits.rules()) {
      Gate.Cap cap = new Gate.Cap(rule.toString(), rule.limit());
      caps.put(rule, cap);
      overflow.put(rule, new Gate(rule.method() == null ? HttpMethod.UNKNOWN : rule.method(), rule.pattern().toString(), cap));
    }
    this.workers = workers;
    for (int i = 0; i < HttpMethod.ALL.length; i++) {
      byMethod.add(new ConcurrentHashMap<>());
    }
  }

  /** Admission control as configured; null when none of its parameters is set. */
  static @Nullable Admission of(Settings settings, Workers workers) {
    return settings.admissionControl() ? new Admission(settings, workers) : null;
  }

  /**
   * Decides whether a starting request is refused, before it is published: a refused one holds no
   * place; an admitted one holds its places until {@link #release}.
   *
   * @return why it is refused, or null when it is admitted
   */
  @Nullable ShedReason admit(InFlightRequest request, long nowNanos) {
    Gate gate = gate(request.method(), request.pathName().uri());
    if (gate == null) {
      return null;
    }
    long queue = request.queueNanos();
    gate.started(queue, WAITED_NANOS, nowNanos);
    if (queue >= WAITED_NANOS) {
      waited(nowNanos);
    }
    if (shedLate && isLate(request, gate)) {
      return refused(gate, ShedReason.LATE, nowNanos);
    }
    Gate.Cap cap = gate.cap;
    if (cap != null && !cap.tryAcquire()) {
      return refused(gate, ShedReason.LIMIT, nowNanos);
    }
    if (share > 0) {
      gate.enter();
      int allowed = shareOfWorkers();
      if (allowed > 0 && underPressure(gate, nowNanos) && gate.inFlight() > allowed && othersWait(gate, nowNanos)) {
        gate.leave();
        if (cap != null) {
          cap.release();
        }
        return refused(gate, ShedReason.SHARE, nowNanos);
      }
    }
    request.markAdmitted();
    return null;
  }

  private static ShedReason refused(Gate gate, ShedReason reason, long nowNanos) {
    gate.countRefusal(reason, nowNanos);
    return reason;
  }

  /**
   * Whether a request that lost part of its budget before it started (waiting for a worker, or to its
   * caller's deadline) has less left than its endpoint typically takes.
   */
  private static boolean isLate(InFlightRequest request, Gate gate) {
    long queue = request.queueNanos();
    long cap = request.budgetCapNanos();
    Endpoint endpoint = gate.endpoint();
    if ((queue == 0 && cap == Long.MAX_VALUE) || endpoint == null) {
      return false;
    }
    long typical = endpoint.typicalNanos();
    return typical > 0 && request.budgetNanosUnder(endpoint) - queue < typical;
  }

  /** A request started having waited for a worker: written at most every 50 ms, and only while requests queue. */
  private void waited(long nowNanos) {
    if (Moments.due(lastWaitedNanos, WAITED_NANOS, nowNanos)) {
      lastWaitedNanos = nowNanos;
    }
  }

  /** The most workers one gate may hold while others wait; 0 when that is off or the pool is unknown. */
  public int shareOfWorkers() {
    int limit = workers.limit();
    return share > 0 && limit > 0 ? Math.max(1, (int) (share * limit)) : 0;
  }

  /**
   * Whether requests may be waiting for workers while {@code gate} could be over its share, so that
   * its requests in flight are worth summing: it refused within the hold, the workers are saturated,
   * the container's queue holds requests (read at most once a millisecond), or a request arrived
   * having waited while the watchdog last found {@code gate} near its share. Reads of rarely written
   * fields, so that a request in calm times, or of an endpoint far from its share, sums nothing.
   */
  private boolean underPressure(Gate gate, long nowNanos) {
    return gate.refusedWithin(HOLD_NANOS, nowNanos) || workers.saturated() || workers.waiting(nowNanos) > 0
        || (gate.nearShare() && Moments.within(lastWaitedNanos, RECENT_NANOS, nowNanos));
  }

  /** After a watchdog scan: which gates hold half their share or more, for {@link #underPressure}. */
  public void afterScan() {
    int allowed = shareOfWorkers();
    if (allowed > 0) {
      forEachGate(gate -> gate.nearShare(gate.inFlight() * 2 >= allowed));
    }
  }

  /**
   * Whether requests of other gates wait for workers while {@code gate} is over its share: another
   * gate is active, and its requests arrived having waited, or the container queues requests, or the
   * workers are saturated, or {@code gate} refused within the hold. Only over-share requests under
   * pressure ask: one pass over the gates, ending at the first that waited.
   */
  private boolean othersWait(Gate gate, long nowNanos) {
    boolean othersActive = false;
    for (ConcurrentHashMap<String, Gate> gates : byMethod) {
      for (Gate other : gates.values()) {
        if (other != gate && other.startedWithin(RECENT_NANOS, nowNanos)) {
          if (other.waitedWithin(RECENT_NANOS, nowNanos)) {
            return true;
          }
          othersActive = true;
        }
      }
    }
    return othersActive && (gate.refusedWithin(HOLD_NANOS, nowNanos) || workers.saturated() || workers.waiting(nowNanos) > 0);
  }

  /**
   * An admitted request finished: it gives back its places, first thing, so that nothing that fails
   * later can keep them.
   *
   * @return its gate, to {@link Gate#learn} the endpoint it finished under; null when it had none
   */
  @Nullable Gate release(InFlightRequest request) {
    Gate gate = existing(request.method(), request.pathName().uri());
    if (gate != null) {
      if (share > 0) {
        gate.leave();
      }
      if (gate.cap != null) {
        gate.cap.release();
      }
    }
    return gate;
  }

  /** The endpoint a refused request is counted under: its gate's, once a request of it finished; else null. */
  @Nullable Endpoint endpointOf(InFlightRequest request) {
    Gate gate = existing(request.method(), request.pathName().uri());
    return gate == null ? null : gate.endpoint();
  }

  /** The endpoints being refused now: those one of whose gates refused within the hold; one pass over the gates. */
  public Set<Endpoint> refusing(long nowNanos) {
    Set<Endpoint> refusing = Collections.newSetFromMap(new IdentityHashMap<>());
    forEachGate(gate -> {
      Endpoint endpoint = gate.endpoint();
      if (endpoint != null && gate.refusedWithin(HOLD_NANOS, nowNanos)) {
        refusing.add(endpoint);
      }
    });
    return refusing;
  }

  /** Whether a gate that refused still holds its decision at {@code nowNanos}. */
  public static boolean holding(Gate gate, long nowNanos) {
    return gate.refusedWithin(HOLD_NANOS, nowNanos);
  }

  /** The names of the other gates whose requests started within the last second, in order, at most {@code most}. */
  public List<String> othersActive(Gate gate, long nowNanos, int most) {
    List<String> names = new ArrayList<>();
    forEachGate(other -> {
      if (other != gate && other.startedWithin(RECENT_NANOS, nowNanos)) {
        names.add(other.name());
      }
    });
    names.sort(null);
    return names.subList(0, Math.min(most, names.size()));
  }

  /** Every gate, the rules' gates for names past the bound included: for the watchdog and the report. */
  public void forEachGate(Consumer<Gate> action) {
    byMethod.forEach(map -> map.values().forEach(action));
    overflow.values().forEach(action);
  }

  /** The gate of a name, as {@link #gate} found or made it. */
  private @Nullable Gate existing(HttpMethod method, String startName) {
    Gate gate = byMethod.get(method.ordinal()).get(startName);
    return gate != null || gateCount.get() < maxGates ? gate : overflowGate(method, startName);
  }

  /** Once the gates are all taken: the gate of the {@code endpoint-limits} rule the name matches; null if none. */
  private @Nullable Gate overflowGate(HttpMethod method, String startName) {
    EndpointLimits.Rule rule = limits.ruleFor(method, startName);
    return rule == null ? null : overflow.get(rule);
  }

  private @Nullable Gate gate(HttpMethod method, String startName) {
    ConcurrentHashMap<String, Gate> gates = byMethod.get(method.ordinal());
    Gate gate = gates.get(startName);
    if (gate != null) {
      return gate;
    }
    if (gateCount.get() >= maxGates) {
      return overflowGate(method, startName);
    }
    return gates.computeIfAbsent(startName, name -> {
      gateCount.incrementAndGet();
      EndpointLimits.Rule rule = limits.ruleFor(method, name);
      return new Gate(method, name, rule == null ? null : caps.get(rule));
    });
  }
}
