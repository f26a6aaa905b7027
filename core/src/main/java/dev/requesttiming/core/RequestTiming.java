package dev.requesttiming.core;

import dev.requesttiming.core.internal.config.StartupLog;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.engine.UnlimitedBudget;
import dev.requesttiming.core.internal.engine.Workers;
import dev.requesttiming.core.internal.live.LiveSnapshot;
import dev.requesttiming.core.internal.live.Reports;
import dev.requesttiming.core.internal.report.Reporter;
import dev.requesttiming.core.internal.util.Background;
import dev.requesttiming.core.internal.watchdog.BudgetFlags;
import dev.requesttiming.core.internal.watchdog.CutOffAtClose;
import dev.requesttiming.core.internal.watchdog.Watchdog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * request-timing for an adapter (such as the servlet filter): everything an adapter calls. It times
 * requests per endpoint into Micrometer, watches them in flight against their budgets, and reports
 * the slow endpoints; admin pages read those through {@link #reports()}, application code its
 * request's {@link RequestBudget}. One instance per filter; {@link #close()} stops its threads and
 * removes its meters.
 *
 * <ol>
 *   <li>{@link #start} and {@link #finish} may be called from any number of threads at once; they
 *       never throw, never block on a lock shared among requests, and allocate one object.
 *   <li>{@link #close} may be called once from any thread; requests finished afterwards are ignored.
 * </ol>
 *
 * @param <R> the framework's request type, read by the {@link RequestAdapter}
 */
public final class RequestTiming<R> implements AutoCloseable {

  private final Engine engine;
  private final BudgetFlags flags;
  private final Watchdog watchdog;
  private final Background watchdogThread;
  private final Reporter reporter;
  private final Background reporterThread;
  private final RequestTimingReports reports;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RequestTiming(MeterRegistry registry, RequestTimingConfig config, RequestAdapter<R> adapter) {
    this.engine = new Engine(registry, config.settings(), adapter);
    this.flags = new BudgetFlags(engine);
    this.watchdog = new Watchdog(engine, flags);
    this.reporter = new Reporter(engine, flags);
    this.reports = new Reports(reporter, new LiveSnapshot(engine, reporter));
    this.watchdogThread = new Background("request-timing-watchdog", watchdog, engine.settings().watchdogInterval());
    this.reporterThread = new Background("request-timing-reporter", reporter, engine.settings().intervalOfReports());
  }

  /**
   * Creates an instance recording into {@code registry}, with time from the registry's clock, and
   * logs its configuration.
   *
   * @throws NullPointerException if an argument is null
   */
  public static <R> RequestTiming<R> create(MeterRegistry registry, RequestTimingConfig config, RequestAdapter<R> adapter) {
    Objects.requireNonNull(registry, "registry == null");
    Objects.requireNonNull(config, "config == null");
    Objects.requireNonNull(adapter, "adapter == null");
    StartupLog.log(config.settings());
    return new RequestTiming<>(registry, config, adapter);
  }

  /**
   * Starts timing a request on the current thread, which gets its {@link RequestBudget}. Its time
   * starts when the server received it where the adapter says ({@link RequestAdapter#receivedNanos}),
   * else now. Never throws.
   *
   * @return the request's budget, to {@link #finish} later; the unlimited budget when the request is
   *     not timed (its path is excluded, timing is closed, or starting it failed)
   */
  public RequestBudget start(R request) {
    InFlightRequest started = engine.start(request);
    return started != null ? started : UnlimitedBudget.INSTANCE;
  }

  /**
   * Ends the timing of a request and records it under its final name (its route template is read
   * now). Call it once per started request, from any thread; later calls, and the unlimited budget,
   * are ignored. Never throws.
   *
   * @param budget what {@link #start} returned
   * @param status the response status
   * @param error the exception the request ended with, or null
   */
  public void finish(RequestBudget budget, int status, @Nullable Throwable error) {
    InFlightRequest request = ours(budget);
    if (request != null) {
      engine.finish(request, status, error);
    }
  }

  /**
   * Whether to answer the request {@code 503} at once, without running the app, and how: its budget
   * was spent before it started ({@code shed-spent}), it started too late to be answered in time
   * ({@code shed-late}), or its endpoint is over its {@code endpoint-limits} or its {@code
   * endpoint-share} of the workers. Decided as the request started; given once. The adapter answers
   * the refusal and then finishes the request, which counts it in {@code
   * http.server.requests.budget.shed} with its reason. Never throws.
   *
   * @return how to answer, or null to run the app
   */
  public @Nullable Refusal refusal(RequestBudget budget) {
    InFlightRequest request = ours(budget);
    return request == null ? null : engine.refusal(request);
  }

  /**
   * Says that the request's client went away before the answer (its response could not be written):
   * it is counted in {@code http.server.requests.abandoned}, since its status is not what anyone saw.
   */
  public void clientGone(RequestBudget budget) {
    InFlightRequest request = ours(budget);
    if (request != null) {
      engine.clientGone(request);
    }
  }

  /**
   * The worker pool the adapter found in its container: the most requests served at once, and where
   * that number comes from; 0 or less when there is no pool (virtual threads). A {@code
   * worker-limit} set in the configuration wins.
   */
  public void workers(int limit, String source) {
    workers(limit, source, null);
  }

  /**
   * The worker pool, as {@link #workers(int, String)}, and how many requests wait in its queue now
   * ({@code waiting}, read at most once a millisecond while {@code endpoint-share} is on; it must not
   * block).
   */
  public void workers(int limit, String source, @Nullable IntSupplier waiting) {
    engine.workers().detected(limit > 0 ? limit : Workers.NO_POOL, Objects.requireNonNull(source, "source == null"), waiting);
  }

  /**
   * How long the app server keeps an idle connection open (its keep-alive), as the adapter read it
   * from the container: checked against {@code upstream-idle-timeouts}, with a WARN for each layer in
   * front that keeps them longer (the cause of intermittent 502s behind load balancers).
   */
  public void serverKeepAlive(Duration idleTimeout, String source) {
    StartupLog.keepAlive(engine.settings(), Objects.requireNonNull(idleTimeout, "idleTimeout == null"),
        Objects.requireNonNull(source, "source == null"));
  }

  /**
   * Says that the request goes on asynchronously: its original thread is no longer the one to look
   * at when it runs long, and its budget leaves that thread. Call it on the request thread when the
   * framework's handler returns with the request still open.
   */
  public void continueAsync(RequestBudget budget) {
    InFlightRequest request = ours(budget);
    if (request != null) {
      engine.continueAsync(request);
    }
  }

  /**
   * The budget of the running request that was started with {@code request} (the same object), from
   * any thread; the unlimited budget when none runs. It looks through the requests in flight (a few
   * microseconds): for a handler that went on on another thread, not for every call there — wrap such
   * work with {@link RequestBudget#wrap(Runnable)} instead, which also makes its calls inherit the budget.
   */
  public RequestBudget budgetOf(R request) {
    try {
      InFlightRequest running = engine.runningWith(Objects.requireNonNull(request, "request == null"));
      return running != null ? running : UnlimitedBudget.INSTANCE;
    } catch (RuntimeException | LinkageError e) {
      engine.failOpen().failed("looking up a request's budget", e);
      return UnlimitedBudget.INSTANCE;
    }
  }

  /**
   * Reports a failure in an adapter's own code so that it is counted and logged like the core's:
   * at most once a minute. Never throws.
   */
  public void failedOpen(String where, Throwable error) {
    engine.failOpen().failed(where, error);
  }

  /** What admin pages read: the reports and the live view's JSON. */
  public RequestTimingReports reports() {
    return reports;
  }

  /**
   * Stops the background threads, logs the requests still running (they are cut off, or finish
   * untimed), the report of the last partial interval (when reports are on and there was traffic)
   * and removes the meters this instance registered. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return; // closed already, or closing on another thread
    }
    CutOffAtClose.log(engine);
    engine.close();
    watchdogThread.stop();
    flags.logQueued();
    reporterThread.stop();
    reporter.run();
    engine.removeMeters();
  }

  /** The request behind a budget this instance started; null for the unlimited budget or another instance's. */
  private @Nullable InFlightRequest ours(RequestBudget budget) {
    return budget instanceof InFlightRequest request && request.engine() == engine ? request : null;
  }

  /** The engine, for tests in this package. */
  Engine engine() {
    return engine;
  }

  /** The watchdog, for tests that drive it with a clock. */
  Watchdog watchdog() {
    return watchdog;
  }

  /** The reporter, for tests that end intervals themselves. */
  Reporter reporter() {
    return reporter;
  }
}
