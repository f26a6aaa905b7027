package dev.requesttiming.servlet;

import dev.requesttiming.core.Refusal;
import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * Times every request per endpoint into Micrometer and flags requests that approach their
 * worker-timeout budget. Register it for {@code /*}, all dispatcher types, with async support:
 *
 * <pre>{@code
 * FilterRegistration.Dynamic timing = servletContext.addFilter("requestTiming", RequestTimingFilter.class);
 * timing.setAsyncSupported(true);
 * timing.setInitParameter("budget", "30s");
 * timing.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
 * }</pre>
 *
 * <p>The no-argument constructor reads its configuration from init-params (the names of {@link
 * RequestTimingConfig.Builder#set}) and records into the {@link MeterRegistry} found in the
 * servlet-context attribute {@value #REGISTRY_ATTRIBUTE}; else, with the init-param {@code
 * registry=prometheus}, into a Prometheus registry that client_java's {@code PrometheusMetricsServlet}
 * serves; else into {@link Metrics#globalRegistry}. Without {@code app-packages}, the app's packages
 * are those of the classes in {@code /WEB-INF/classes}.
 *
 * <p>The filter fails open: its own failures are counted and logged at most once a minute, and the
 * request goes on unchanged. Exceptions of the application pass through as the same instance.
 */
public final class RequestTimingFilter implements Filter {

  /** The servlet-context attribute holding the {@link MeterRegistry} to record into. */
  public static final String REGISTRY_ATTRIBUTE = "io.micrometer.core.instrument.MeterRegistry";

  /**
   * The servlet-context attribute where the filter publishes its {@link RequestTiming} while it
   * runs, so that the app can serve its {@link RequestTiming#reports() reports} at an admin endpoint.
   */
  public static final String TIMING_ATTRIBUTE = RequestTiming.class.getName();

  private static final String APP_PACKAGES = "app-packages";
  private static final Logger LOG = ConfigLog.LOG;

  /** The filters timing now, in this class loader, for {@link #budgetOf}; usually one. */
  private static final Set<RequestTiming<HttpServletRequest>> RUNNING = ConcurrentHashMap.newKeySet();

  private final @Nullable MeterRegistry givenRegistry;
  private final @Nullable RequestTimingConfig givenConfig;
  private volatile @Nullable RequestTiming<HttpServletRequest> timing;
  private volatile @Nullable ServletContext context;
  private volatile @Nullable RequestsTimerClash clash;
  /** The registry chosen by init-params, closed with the filter; null with a given registry. */
  private volatile @Nullable FilterRegistry ownRegistry;
  /** Whether Spring MVC is in the app: its error views keep their exception in attributes of their own. */
  private volatile boolean springMvc;
  /** Whether the container's pool was looked for (at the first request, once the container runs). */
  private volatile boolean poolFound;

  /** A filter configured by init-params, for web.xml and {@code ServletContext.addFilter}. */
  public RequestTimingFilter() {
    this.givenRegistry = null;
    this.givenConfig = null;
  }

  /**
   * A filter recording into {@code registry} with {@code config}; init-params are ignored.
   *
   * @throws NullPointerException if an argument is null
   */
  public RequestTimingFilter(MeterRegistry registry, RequestTimingConfig config) {
    this.givenRegistry = Objects.requireNonNull(registry, "registry == null");
    this.givenConfig = Objects.requireNonNull(config, "config == null");
  }

  /**
   * Reads the configuration and starts timing.
   *
   * @throws IllegalArgumentException if an init-param has a bad value, naming it
   */
  @Override
  public void init(FilterConfig filterConfig) {
    RequestTimingConfig given = givenConfig != null ? givenConfig : configFrom(filterConfig);
    RequestsTimerClash timerClash = RequestsTimerClash.of(given, filterConfig.getServletContext());
    RequestTimingConfig config = timerClash.resolve(given);
    FilterRegistry chosen =
        givenRegistry != null ? null : FilterRegistry.of(filterConfig.getServletContext(), filterConfig.getInitParameter(FilterRegistry.PARAMETER));
    MeterRegistry registry = chosen != null ? chosen.registry : Objects.requireNonNull(givenRegistry);
    FilterRegistry oldRegistry = ownRegistry;
    ownRegistry = chosen;
    RequestTiming<HttpServletRequest> old = timing;
    RequestTiming<HttpServletRequest> created =
        RequestTiming.create(registry, config, new ServletRequests(config.routeAttributes(), contextPathOf(filterConfig.getServletContext())));
    clash = timerClash;
    springMvc = ServletFinish.springMvcIn(classLoaderOf(filterConfig.getServletContext()));
    timing = created;
    context = filterConfig.getServletContext();
    context.setAttribute(TIMING_ATTRIBUTE, created);
    RUNNING.add(created);
    checkKeepAlive(created, filterConfig.getServletContext());
    if (old != null) {
      RUNNING.remove(old);
      old.close();
    }
    if (oldRegistry != null) {
      oldRegistry.close();
    }
  }

  /**
   * The budget of a request this filter is timing, from any thread, such as an async handler's; an
   * unlimited budget when the request is not timed (or has finished). It looks through the requests
   * in flight: for an occasional lookup. Work handed to another thread is better wrapped with {@link
   * RequestBudget#wrap(Runnable)}, which also makes its downstream calls inherit the budget.
   */
  public static RequestBudget budgetOf(ServletRequest request) {
    RequestBudget found = RequestBudget.current();
    try {
      // not through request.getServletContext(): Jetty's ee8 requests answer null once the handler
      // has returned, which is when an async handler on another thread asks
      for (ServletRequest r = request; r != null; r = r instanceof ServletRequestWrapper w ? w.getRequest() : null) {
        if (r instanceof HttpServletRequest http) {
          for (RequestTiming<HttpServletRequest> running : RUNNING) {
            found = running.budgetOf(http);
            if (!found.isUnlimited()) {
              return found;
            }
          }
        }
      }
    } catch (RuntimeException e) {
      return RequestBudget.current(); // a wrapper that failed: no budget rather than an exception
    }
    return found;
  }

  /** The running engine, for its reports; null before {@code init} and after {@code destroy}. */
  public @Nullable RequestTiming<HttpServletRequest> timing() {
    return timing;
  }

  private static RequestTimingConfig configFrom(FilterConfig filterConfig) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String name : Collections.list(filterConfig.getInitParameterNames())) {
      if (!name.equals(FilterRegistry.PARAMETER)) {
        params.put(name, filterConfig.getInitParameter(name));
      }
    }
    if (!params.containsKey(APP_PACKAGES)) {
      List<String> found = AppPackages.of(filterConfig.getServletContext());
      if (!found.isEmpty()) {
        params.put(APP_PACKAGES, String.join(",", found));
        LOG.info("app-packages: {} (the packages of /WEB-INF/classes; the init-param app-packages sets them)", String.join(", ", found));
      }
    }
    return RequestTimingConfig.fromMap(params);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    RequestTiming<HttpServletRequest> current = timing;
    if (current == null
        || req.getDispatcherType() != DispatcherType.REQUEST
        || !(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || !RequestBudget.current().isUnlimited()) {
      chain.doFilter(req, res); // not ours to time, or timed already on this thread (the filter twice in the chain)
      return;
    }
    if (!poolFound) {
      findPool(current, request);
    }
    RequestBudget timed = current.start(request); // never throws
    if (timed.isUnlimited()) {
      chain.doFilter(req, res); // excluded, or timing failed: the request goes on untimed
      return;
    }
    Refusal refusal = current.refusal(timed);
    if (refusal != null) {
      refuse(current, timed, refusal, response);
      return;
    }
    Throwable error = null;
    try {
      chain.doFilter(req, res);
    } catch (IOException | ServletException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      checkClash(current, request);
      ServletFinish.afterChain(current, timed, request, response, springMvc, error);
    }
  }

  /**
   * Answers a request refused under overload {@code 503}, unrun, with a {@code Retry-After} and a
   * one-line plain-text body, then finishes it.
   */
  private static void refuse(
      RequestTiming<HttpServletRequest> current, RequestBudget timed, Refusal refusal, HttpServletResponse response) {
    try {
      response.setStatus(Refusal.STATUS);
      response.setHeader("Retry-After", Integer.toString(refusal.retryAfterSeconds()));
      response.setContentType("text/plain;charset=UTF-8");
      response.getWriter().write(refusal.message());
    } catch (IOException e) {
      current.clientGone(timed);
    } catch (RuntimeException e) {
      current.failedOpen("answering a refused request", e);
    } finally {
      current.finish(timed, Refusal.STATUS, null);
    }
  }

  private static @Nullable String contextPathOf(ServletContext context) {
    try {
      return context.getContextPath();
    } catch (RuntimeException | LinkageError e) { // a container before Servlet 2.5
      return null;
    }
  }

  private static ClassLoader classLoaderOf(ServletContext context) {
    try {
      ClassLoader loader = context.getClassLoader();
      return loader != null ? loader : RequestTimingFilter.class.getClassLoader();
    } catch (RuntimeException e) { // a security manager's refusal
      return RequestTimingFilter.class.getClassLoader();
    }
  }

  /** Checks the container's keep-alive against the layers in front ({@code upstream-idle-timeouts}). */
  private static void checkKeepAlive(RequestTiming<HttpServletRequest> timing, ServletContext context) {
    try {
      ServerKeepAlive.find(context).ifPresent(keepAlive -> timing.serverKeepAlive(keepAlive.idle(), keepAlive.source()));
    } catch (RuntimeException | LinkageError e) {
      timing.failedOpen("reading the container's keep-alive", e);
    }
  }

  /** Tells the core the container's worker pool, once, from the first request's context. */
  private void findPool(RequestTiming<HttpServletRequest> current, HttpServletRequest request) {
    poolFound = true; // one look, whatever it finds: a race looks twice, harmlessly
    try {
      WorkerPool.find(request.getServletContext())
          .ifPresent(pool -> current.workers(pool.limit(), pool.source(), pool.waiting()));
    } catch (RuntimeException | LinkageError e) {
      current.failedOpen("finding the container's worker pool", e);
    }
  }

  private void checkClash(RequestTiming<HttpServletRequest> current, HttpServletRequest request) {
    RequestsTimerClash check = clash;
    if (check != null) {
      try {
        check.check(request);
      } catch (RuntimeException | LinkageError e) {
        current.failedOpen("checking who records http.server.requests", e);
      }
    }
  }

  /**
   * Stops timing: background threads end, the last partial report is logged and the filter's
   * meters are removed.
   */
  @Override
  public void destroy() {
    RequestTiming<HttpServletRequest> old = timing;
    timing = null;
    ServletContext published = context;
    if (published != null && published.getAttribute(TIMING_ATTRIBUTE) == old) {
      published.removeAttribute(TIMING_ATTRIBUTE);
    }
    if (old != null) {
      RUNNING.remove(old);
      old.close();
    }
    FilterRegistry oldRegistry = ownRegistry;
    ownRegistry = null;
    if (oldRegistry != null) {
      oldRegistry.close();
    }
  }
}
