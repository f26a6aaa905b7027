package dev.requesttiming.core.internal.engine;

import dev.requesttiming.core.internal.config.HttpMethod;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Where requests of one start name ({@code METHOD} and the name their path has before the app runs)
 * are admitted under overload: how many of them are in flight, the cap they share with others of
 * their {@code endpoint-limits} rule, the endpoint they turned out to be, and their refusals. Written
 * by the requests of that name only while admission control is on; the watchdog reads it.
 */
public final class Gate {

  final HttpMethod method;
  final String startName;
  /** The cap of its {@code endpoint-limits} rule, shared with every gate of that rule; null if none. */
  final @Nullable Cap cap;
  /**
   * Its requests admitted and not finished, kept while {@code endpoint-share} is on: striped as
   * {@code LongAdder} stripes, so that two threads on one endpoint do not fight over one counter;
   * summed only when the share is asked about.
   */
  private final LongAdder inFlight = new LongAdder();
  /** Refusals since start, per {@link ShedReason}, counted only when refused. */
  private final AtomicLongArray refused = new AtomicLongArray(ShedReason.ALL.length);
  private volatile long lastRefusalNanos = Moments.NEVER;
  /** When a request of it last started, to within {@link #TOUCH_NANOS}; and one that had waited for a worker. */
  private volatile long lastStartNanos = Moments.NEVER;
  private volatile long lastWaitedNanos = Moments.NEVER;
  /** Times of starts are written at most this often, so that its requests seldom write a shared line. */
  private static final long TOUCH_NANOS = 50_000_000L;
  /** Whether it held half its share of the workers or more at the watchdog's last scan. */
  private volatile boolean nearShare;
  /** The endpoint its requests finished under: the route template, once one finished. */
  private volatile @Nullable Endpoint endpoint;

  Gate(HttpMethod method, String startName, @Nullable Cap cap) {
    this.method = method;
    this.startName = startName;
    this.cap = cap;
  }

  /** A cap on the requests in flight, shared by every gate of one {@code endpoint-limits} rule. */
  public static final class Cap {
    final String rule;
    final int limit;
    private final AtomicInteger inFlight = new AtomicInteger();

    Cap(String rule, int limit) {
      this.rule = rule;
      this.limit = limit;
    }

    /** Its rule as configured, e.g. {@code POST /api/chat=4}. */
    public String rule() {
      return rule;
    }

    /** Takes a place if one is free: never more than the limit in flight, whatever the races. */
    boolean tryAcquire() {
      int n;
      do {
        n = inFlight.get();
        if (n >= limit) {
          return false;
        }
      } while (!inFlight.compareAndSet(n, n + 1));
      return true;
    }

    void release() {
      inFlight.decrementAndGet();
    }

    /** Requests of its rule in flight now. */
    public int inFlight() {
      return inFlight.get();
    }
  }

  /**
   * Notes that a request of it started at {@code nowNanos} after waiting {@code queueNanos} for a
   * worker; a wait of {@code waitedNanos} or more counts as having waited.
   */
  void started(long queueNanos, long waitedNanos, long nowNanos) {
    if (Moments.due(lastStartNanos, TOUCH_NANOS, nowNanos)) {
      lastStartNanos = nowNanos;
    }
    if (queueNanos >= waitedNanos && Moments.due(lastWaitedNanos, TOUCH_NANOS, nowNanos)) {
      lastWaitedNanos = nowNanos;
    }
  }

  /** Whether a request of it started within {@code windowNanos} before {@code nowNanos}. */
  boolean startedWithin(long windowNanos, long nowNanos) {
    return Moments.within(lastStartNanos, windowNanos, nowNanos);
  }

  /** Whether a request of it started after waiting for a worker within {@code windowNanos} before {@code nowNanos}. */
  boolean waitedWithin(long windowNanos, long nowNanos) {
    return Moments.within(lastWaitedNanos, windowNanos, nowNanos);
  }

  /** Counts a request in. */
  void enter() {
    inFlight.increment();
  }

  void leave() {
    inFlight.decrement();
  }

  /** Its requests in flight, counted while {@code endpoint-share} is on. */
  public int inFlight() {
    return (int) inFlight.sum();
  }

  boolean nearShare() {
    return nearShare;
  }

  /** The watchdog's word after a scan; written only when it changes. */
  void nearShare(boolean near) {
    if (nearShare != near) {
      nearShare = near;
    }
  }

  void countRefusal(ShedReason reason, long nowNanos) {
    refused.incrementAndGet(reason.ordinal());
    if (lastRefusalNanos != nowNanos) {
      lastRefusalNanos = nowNanos;
    }
  }

  /** Whether it refused a request within {@code holdNanos} before {@code nowNanos}. */
  boolean refusedWithin(long holdNanos, long nowNanos) {
    return Moments.within(lastRefusalNanos, holdNanos, nowNanos);
  }

  /** When it last refused a request, on the engine's clock; {@code Long.MIN_VALUE} if never. */
  public long lastRefusalNanos() {
    return lastRefusalNanos;
  }

  /** Its requests refused since start for {@code reason}. */
  public long refused(ShedReason reason) {
    return refused.get(reason.ordinal());
  }

  /** The endpoint its requests finished under; null before one finished. */
  public @Nullable Endpoint endpoint() {
    return endpoint;
  }

  /** Notes the endpoint a request of this gate finished under; written only when it changes. */
  void learn(Endpoint finishedUnder) {
    if (endpoint != finishedUnder) {
      endpoint = finishedUnder;
    }
  }

  /** The cap of its {@code endpoint-limits} rule; null if none. */
  public @Nullable Cap cap() {
    return cap;
  }

  /** How logs name it: its endpoint once known, else its start name. */
  public String name() {
    Endpoint e = endpoint;
    return e != null ? e.toString() : method + " " + startName;
  }
}
