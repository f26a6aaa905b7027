package dev.requesttiming.servlet;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The worker pool of the container a web app runs in: the most requests it serves at once, or none
 * (virtual threads). Found through the container's own classes by reflection, since the filter
 * depends on no container: Jetty 12's {@code QueuedThreadPool} (its maximum, less the threads its
 * connectors lease for acceptors and selectors), Tomcat's connector executors. Anything else, or any failure, finds nothing (set
 * {@code worker-limit} then).
 *
 * @param limit the most requests served at once; 0 or less when there is no pool
 * @param source where that comes from, for the start-up log and the report
 */
record WorkerPool(int limit, String source) {

  static Optional<WorkerPool> find(ServletContext context) {
    try {
      WorkerPool jetty = jetty(context);
      return Optional.ofNullable(jetty != null ? jetty : tomcat(context));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  private static @Nullable WorkerPool jetty(ServletContext context) throws ReflectiveOperationException {
    Class<?> handlerType = load(context, "org.eclipse.jetty.ee10.servlet.ServletContextHandler");
    if (handlerType == null) {
      return null;
    }
    Object handler = handlerType.getMethod("getServletContextHandler", ServletContext.class).invoke(null, context);
    if (handler == null) {
      return null;
    }
    Object server = call(handler, "getServer");
    Object pool = server == null ? null : call(server, "getThreadPool");
    if (pool == null) {
      return null;
    }
    String type = pool.getClass().getSimpleName();
    if (type.equals("VirtualThreadPool") || (type.equals("QueuedThreadPool") && call(pool, "getVirtualThreadsExecutor") != null)) {
      return new WorkerPool(0, "Jetty's virtual threads: no pool");
    }
    if (!type.equals("QueuedThreadPool")) {
      return null;
    }
    int max = (Integer) call(pool, "getMaxThreads");
    int connectors = connectorThreads(server);
    return new WorkerPool(max - connectors,
        "Jetty's QueuedThreadPool: " + max + " threads, " + connectors + " of them its connectors'");
  }

  /**
   * The threads Jetty's connectors hold for good: acceptors and selectors. (The pool's leased
   * threads count its reserved threads too, which do serve requests.)
   */
  private static int connectorThreads(Object server) throws ReflectiveOperationException {
    int threads = 0;
    for (Object connector : (Object[]) call(server, "getConnectors")) {
      threads += hasMethod(connector, "getAcceptors") ? (Integer) call(connector, "getAcceptors") : 0;
      Object selectors = hasMethod(connector, "getSelectorManager") ? call(connector, "getSelectorManager") : null;
      threads += selectors == null ? 0 : (Integer) call(selectors, "getSelectorCount");
    }
    return threads;
  }

  private static @Nullable WorkerPool tomcat(ServletContext facade) throws ReflectiveOperationException {
    if (!facade.getClass().getName().equals("org.apache.catalina.core.ApplicationContextFacade")) {
      return null;
    }
    Object applicationContext = field(facade, "context");
    Object standardContext = field(applicationContext, "context");
    Object host = call(standardContext, "getParent");
    Object engine = host == null ? null : call(host, "getParent");
    Object service = engine == null ? null : call(engine, "getService");
    Object[] connectors = service == null ? new Object[0] : (Object[]) call(service, "findConnectors");
    int limit = 0;
    for (Object connector : connectors) {
      Object protocol = call(connector, "getProtocolHandler");
      Object executor = protocol == null ? null : call(protocol, "getExecutor");
      if (executor != null && executor.getClass().getSimpleName().contains("VirtualThread")) {
        return new WorkerPool(0, "Tomcat's virtual threads: no pool");
      }
      if (executor != null && hasMethod(executor, "getMaximumPoolSize")) {
        limit += (Integer) call(executor, "getMaximumPoolSize");
      } else if (protocol != null && hasMethod(protocol, "getMaxThreads")) {
        limit += (Integer) call(protocol, "getMaxThreads");
      }
    }
    return limit > 0 ? new WorkerPool(limit, "Tomcat's connector executor: maxThreads " + limit) : null;
  }

  private static @Nullable Class<?> load(ServletContext context, String name) {
    try {
      return Class.forName(name, false, context.getClass().getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static @Nullable Object call(Object target, String method) throws ReflectiveOperationException {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }

  private static boolean hasMethod(Object target, String method) {
    try {
      target.getClass().getMethod(method);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  private static Object field(Object target, String name) throws ReflectiveOperationException {
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(name);
  }
}
