package dev.requesttiming.core.internal.watchdog;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.RequestStillRunning;
import dev.requesttiming.core.internal.config.FlagLevel;
import dev.requesttiming.core.internal.engine.CompletedFlags;
import dev.requesttiming.core.internal.engine.DownstreamCalls;
import dev.requesttiming.core.internal.engine.Endpoint;
import dev.requesttiming.core.internal.engine.Engine;
import dev.requesttiming.core.internal.engine.InFlightRequest;
import dev.requesttiming.core.internal.engine.LogContext;
import dev.requesttiming.core.internal.engine.RealDownstreamCall;
import dev.requesttiming.core.internal.util.Durations;
import dev.requesttiming.core.internal.util.FailOpen;
import dev.requesttiming.core.internal.util.LogEvent;
import dev.requesttiming.core.internal.util.Loggers;
import dev.requesttiming.core.internal.util.Percent;
import dev.requesttiming.core.internal.util.SafeText;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Raises budget flags: each level at most once per request, counted on the
 * endpoint's {@code http.server.requests.budget.flagged} counter and logged as one WARN line on
 * {@code dev.requesttiming.budget} with key-value pairs. In an incident the {@link FlagLog} keeps the
 * log readable: past {@code flag-log-limit} lines per endpoint, level and interval, flags are
 * summarized in one line per endpoint ({@link #logSummaries}).
 *
 * <ol>
 *   <li>Flags of requests that finished past a level the watchdog had not seen are counted on their
 *       request threads and queued ({@link CompletedFlags}); {@link #logQueued} logs them.
 *   <li>{@link #inFlight} and {@link #logQueued} run on the watchdog thread only; {@link
 *       #logSummaries} on the reporter's.
 * </ol>
 */
public final class BudgetFlags {

  static final Logger LOG = Loggers.BUDGET;

  private final @Nullable FlagLevel stackTraceAt;
  private final LogContext logContext;
  private final FlagLog flagLog;
  private final DownstreamCalls downstreamCalls;
  private final CompletedFlags completed;
  private final Clock clock;
  private final FailOpen failOpen;
  private final Map<String, Duration> upstreamTimeouts;

  public BudgetFlags(Engine engine) {
    this.logContext = engine.logContext();
    this.downstreamCalls = engine.downstreamCalls();
    this.completed = engine.completedFlags();
    this.clock = engine.clock();
    this.flagLog = new FlagLog(engine.settings().flagLogLimit());
    this.stackTraceAt = engine.settings().stackTraceAt();
    this.failOpen = engine.failOpen();
    this.upstreamTimeouts = engine.settings().upstreamTimeouts();
  }

  /**
   * Flags every level a running request has reached and not been flagged for yet: each is counted,
   * and one line is logged at the highest of them (a request first seen past all three levels is one
   * line, not three at the same instant).
   *
   * @return the highest level flagged now, or null when none
   */
  @Nullable FlagLevel inFlight(InFlightRequest request, Endpoint endpoint, long elapsedNanos, long budgetNanos) {
    FlagLevel highest = request.claimLevelsReached(endpoint, elapsedNanos, budgetNanos);
    if (highest != null) {
      logInFlight(request, endpoint, highest, elapsedNanos, budgetNanos);
    }
    return highest;
  }

  /** Logs the completion flags queued so far. */
  public void logQueued() {
    CompletedFlags.Flag f;
    while ((f = completed.poll()) != null) {
      logFinished(f);
    }
    long lost = completed.takeDropped();
    if (lost > 0) {
      try {
        LOG.warn(
            "{} flags of finished requests were not logged: the log could not keep up. They are counted"
                + " in http.server.requests.budget.flagged",
            lost);
      } catch (RuntimeException | LinkageError e) {
        failOpen.failed("logging a budget flag", e);
      }
    }
  }

  private void logInFlight(
      InFlightRequest request, Endpoint endpoint, FlagLevel level, long elapsedNanos, long budgetNanos) {
    try {
      if (!flagLog.claimLine(endpoint, level, request.logContext())) {
        return;
      }
      Thread thread = request.thread();
      String threadText = threadName(thread);
      LogEvent event = event(endpoint, level, elapsedNanos, budgetNanos, true, request);
      String message =
          endpoint
              + " still running after "
              + Durations.latency(elapsedNanos)
              + waited(request)
              + ": "
              + Percent.ofBudget(elapsedNanos, budgetNanos)
              + " of its "
              + Durations.configured(budgetNanos)
              + " budget ("
              + level.text()
              + ")"
              + waitingOn(request, event)
              + " thread="
              + threadText
              + " id="
              + request.id()
              + logContext.text(request.logContext());
      // one stack per request, and one per endpoint and interval: both are claimed, or neither
      if (stackTraceAt != null
          && level.compareTo(stackTraceAt) >= 0
          && !request.stackShown()
          && flagLog.claimStack(endpoint)
          && request.claimStack()) {
        if (thread == null) {
          message += " (the request continues asynchronously: no worker thread to show)";
        } else {
          event.setCause(new RequestStillRunning(endpoint + " on thread " + threadText, FlagStack.fold(thread.getStackTrace())));
        }
      }
      event.log(message);
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("logging a budget flag", e);
    }
  }

  private void logFinished(CompletedFlags.Flag f) {
    try {
      if (!flagLog.claimLine(f.endpoint(), f.level(), f.request().logContext())) {
        return;
      }
      String message =
          f.endpoint()
              + " finished in "
              + Durations.latency(f.elapsedNanos())
              + waited(f.request())
              + ": "
              + Percent.ofBudget(f.elapsedNanos(), f.budgetNanos())
              + " of its "
              + Durations.configured(f.budgetNanos())
              + " budget ("
              + f.level().text()
              + ") status="
              + f.status()
              + " id="
              + f.request().id()
              + logContext.text(f.request().logContext());
      if (f.level() == FlagLevel.EXCEEDED) {
        message += gaveUp(f.request(), f.elapsedNanos(), f.status());
      }
      event(f.endpoint(), f.level(), f.elapsedNanos(), f.budgetNanos(), false, f.request())
          .addKeyValue("status", f.status())
          .log(message);
    } catch (RuntimeException | LinkageError e) {
      failOpen.failed("logging a budget flag", e);
    }
  }

  /**
   * Ends the interval of the flag-line budget: logs one summary line per endpoint whose flags were
   * not all logged one by one, with where its slow requests were stuck.
   *
   * @param stuckAt the endpoints' stuck sites of the same interval, most samples first
   */
  public void logSummaries(Duration interval, Map<Endpoint, List<EndpointReport.Site>> stuckAt) {
    for (FlagLog.Suppressed s : flagLog.drain()) {
      try {
        logSummary(s.endpoint(), s.tally(), interval, stuckAt.getOrDefault(s.endpoint(), List.of()));
      } catch (RuntimeException | LinkageError e) {
        failOpen.failed("logging a budget flag summary", e);
      }
    }
  }

  private void logSummary(Endpoint endpoint, FlagLog.Tally tally, Duration interval, List<EndpointReport.Site> sites) {
    long[] n = tally.suppressed;
    StringBuilder message =
        new StringBuilder()
            .append(endpoint)
            .append(": ")
            .append(tally.suppressedTotal())
            .append(" more budget flags in the last ")
            .append(Durations.duration(interval))
            .append(" (warn ").append(n[FlagLevel.WARN.ordinal()])
            .append(", critical ").append(n[FlagLevel.CRITICAL.ordinal()])
            .append(", exceeded ").append(n[FlagLevel.EXCEEDED.ordinal()])
            .append("), not logged one by one");
    LogEvent event =
        LogEvent.warn(LOG)
            .addKeyValue("event", "budget_flag_summary")
            .addKeyValue("method", endpoint.method().name())
            .addKeyValue("uri", endpoint.uri())
            .addKeyValue("warn", n[FlagLevel.WARN.ordinal()])
            .addKeyValue("critical", n[FlagLevel.CRITICAL.ordinal()])
            .addKeyValue("exceeded", n[FlagLevel.EXCEEDED.ordinal()])
            .addKeyValue("interval_ms", interval.toMillis());
    if (!sites.isEmpty()) {
      EndpointReport.Site top = sites.get(0);
      message.append("; stuck at ").append(top.site()).append(" in ").append(Percent.share(top.share())).append(" of samples");
      event.addKeyValue("stuck_at", top.site()).addKeyValue("stuck_share", Math.round(top.share() * 1000) / 1000.0);
    }
    String example = logContext.text(tally.exampleContext);
    if (!example.isEmpty()) {
      message.append("; latest:").append(example);
    }
    logContext.addTo(event, tally.exampleContext).log(message.toString());
  }

  private LogEvent event(
      Endpoint endpoint, FlagLevel level, long elapsedNanos, long budgetNanos, boolean inFlight, InFlightRequest request) {
    LogEvent event = LogEvent.warn(LOG)
        .addKeyValue("event", "budget_flag")
        .addKeyValue("method", endpoint.method().name())
        .addKeyValue("uri", endpoint.uri())
        .addKeyValue("elapsed_ms", elapsedNanos / 1_000_000)
        .addKeyValue("budget_ms", budgetNanos / 1_000_000)
        .addKeyValue("level", level.text())
        .addKeyValue("in_flight", inFlight)
        .addKeyValue("id", request.id());
    if (request.queueNanos() > 0) {
      event.addKeyValue("queue_ms", request.queueNanos() / 1_000_000);
    }
    return logContext.addTo(event, request.logContext());
  }

  /** {@code " (1.4s of it waiting for a worker)"} when the proxy's stamp says it queued, else empty. */
  /**
   * What a proxy in front made of a request that exceeded its budget, where one is known: the
   * shortest {@code upstream-timeouts} layer it outlasted (its elapsed time counts from the proxy's stamp), else,
   * for a request a proxy stamped, the fact that a proxy timing out sooner did not pass the status
   * on. Empty where no proxy is known: the client may well have had its answer.
   */
  private String gaveUp(InFlightRequest request, long elapsedNanos, int status) {
    Map.Entry<String, Duration> outlasted = null;
    for (Map.Entry<String, Duration> layer : upstreamTimeouts.entrySet()) {
      if (layer.getValue().toNanos() < elapsedNanos && (outlasted == null || layer.getValue().compareTo(outlasted.getValue()) < 0)) {
        outlasted = layer;
      }
    }
    if (outlasted != null) {
      return "; " + outlasted.getKey() + " gave up at its " + Durations.duration(outlasted.getValue())
          + " timeout, so status " + status + " is not what the user saw";
    }
    if (upstreamTimeouts.isEmpty() && request.queueNanos() > 0) {
      return "; a proxy sent it: if it waits less than " + Durations.latency(elapsedNanos)
          + " for an answer, it has given up and status " + status + " is not what the user saw";
    }
    return "";
  }

  private static String waited(InFlightRequest request) {
    long queue = request.queueNanos();
    return queue == 0 ? "" : " (" + Durations.latency(queue) + " of it waiting for a worker)";
  }

  /**
   * {@code " waiting on POST rag.internal/v1/query for 8.2s"} while in a budget-aware call; else where
   * the watchdog last sampled it, {@code " stuck at OwnerController.show(OwnerController.java:133)
   * waiting for a database connection from HikariPool-1"}; else empty.
   */
  private String waitingOn(InFlightRequest request, LogEvent event) {
    RealDownstreamCall call = downstreamCalls.of(request);
    if (call == null) {
      String stuckAt = request.stuckAt();
      if (stuckAt == null) {
        return "";
      }
      event.addKeyValue("stuck_at", stuckAt);
      return " stuck at " + stuckAt;
    }
    event.addKeyValue("downstream", call.target());
    return " waiting on " + call.target() + " for " + Durations.latency(clock.monotonicTime() - call.startNanos());
  }

  /**
   * The name of a request's thread for a log line: virtual threads usually have none, so their id
   * stands in for it; an async request has no thread of its own.
   */
  public static String threadName(@Nullable Thread thread) {
    if (thread == null) {
      return "unknown (async)";
    }
    String name = thread.getName();
    return name.isEmpty() ? "#" + thread.getId() : SafeText.of(name, 80);
  }

}
