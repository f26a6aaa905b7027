package dev.requesttiming.servlet;

import static dev.requesttiming.servlet.Containers.call;
import static dev.requesttiming.servlet.Containers.hasMethod;

import jakarta.servlet.ServletContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The worker pool of the container a web app runs in ({@link Containers}): the most requests it
 * serves at once, or none (virtual threads): Jetty 12's {@code QueuedThreadPool} (its maximum, less
 * its connectors' acceptors and selectors), Tomcat's connector executors. Anything else, or any
 * failure, finds nothing (set {@code worker-limit} then).
 *
 * @param limit the most requests served at once; 0 or less when there is no pool
 * @param source where that comes from, for the start-up log and the report
 * @param waiting how many requests wait in the pool's queue now (lock-free reads of the
 *     container's queue); null where it cannot be read
 */
record WorkerPool(int limit, String source, @Nullable IntSupplier waiting) {

  static Optional<WorkerPool> find(ServletContext context) {
    return Containers.read(context, WorkerPool::jetty, WorkerPool::tomcat);
  }

  private static @Nullable WorkerPool jetty(ServletContext context) throws ReflectiveOperationException {
    Object server = Containers.jettyServer(context);
    Object pool = server == null ? null : call(server, "getThreadPool");
    if (pool == null) {
      return null;
    }
    String type = pool.getClass().getSimpleName();
    if (type.equals("VirtualThreadPool") || (type.equals("QueuedThreadPool") && call(pool, "getVirtualThreadsExecutor") != null)) {
      return new WorkerPool(0, "Jetty's virtual threads: no pool", null);
    }
    if (!type.equals("QueuedThreadPool")) {
      return null;
    }
    int max = (Integer) call(pool, "getMaxThreads");
    int connectors = connectorThreads(server);
    MethodHandle queueSize = MethodHandles.publicLookup()
        .findVirtual(pool.getClass(), "getQueueSize", MethodType.methodType(int.class)).bindTo(pool);
    return new WorkerPool(max - connectors,
        "Jetty's QueuedThreadPool: " + max + " threads, " + connectors + " of them its connectors'", () -> invoke(queueSize));
  }

  /**
   * The threads Jetty's connectors hold for good: acceptors and selectors. (The pool's leased
   * threads count its reserved threads too, which do serve requests.)
   */
  private static int connectorThreads(Object server) throws ReflectiveOperationException {
    int threads = 0;
    for (Object connector : Containers.jettyConnectors(server)) {
      threads += hasMethod(connector, "getAcceptors") ? (Integer) call(connector, "getAcceptors") : 0;
      Object selectors = hasMethod(connector, "getSelectorManager") ? call(connector, "getSelectorManager") : null;
      threads += selectors == null ? 0 : (Integer) call(selectors, "getSelectorCount");
    }
    return threads;
  }

  private static @Nullable WorkerPool tomcat(ServletContext facade) throws ReflectiveOperationException {
    int limit = 0;
    List<Collection<?>> queues = new ArrayList<>();
    for (Object connector : Containers.tomcatConnectors(facade)) {
      Object protocol = call(connector, "getProtocolHandler");
      Object executor = protocol == null ? null : call(protocol, "getExecutor");
      if (executor != null && executor.getClass().getSimpleName().contains("VirtualThread")) {
        return new WorkerPool(0, "Tomcat's virtual threads: no pool", null);
      }
      if (executor != null && hasMethod(executor, "getMaximumPoolSize")) {
        limit += (Integer) call(executor, "getMaximumPoolSize");
        if (hasMethod(executor, "getQueue") && call(executor, "getQueue") instanceof Collection<?> queue) {
          queues.add(queue); // Tomcat's TaskQueue, a LinkedBlockingQueue: its size is one atomic read
        }
      } else if (protocol != null && hasMethod(protocol, "getMaxThreads")) {
        limit += (Integer) call(protocol, "getMaxThreads");
      }
    }
    return limit > 0 ? new WorkerPool(limit, "Tomcat's connector executor: maxThreads " + limit, () -> sizeOf(queues)) : null;
  }

  private static int sizeOf(List<Collection<?>> queues) {
    int waiting = 0;
    for (Collection<?> queue : queues) {
      waiting += queue.size();
    }
    return waiting;
  }

  private static int invoke(MethodHandle size) {
    try {
      return (int) size.invokeExact();
    } catch (Throwable e) {
      return 0; // the container changed under us: nobody counts as waiting
    }
  }
}
