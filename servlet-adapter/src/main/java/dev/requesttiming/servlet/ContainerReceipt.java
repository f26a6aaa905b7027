package dev.requesttiming.servlet;

import dev.requesttiming.core.RequestAdapter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.jspecify.annotations.Nullable;

/**
 * When the container received a request, as Tomcat 10.1 and later ({@code coyote.Request}'s start
 * time, marked as it reads the request line) and Jetty 12 ({@code Request.getBeginNanoTime()}) keep
 * it on {@code System.nanoTime()}'s clock. The request's time then starts there, which saves the
 * filter a clock read per request and counts what ran before it: parsing, valves, earlier filters.
 *
 * <p>Read through method handles found once, when this class loads, by reflection, since the filter
 * depends on no container. A request of another container, one wrapped before the filter, a class
 * that changed, or a value the container has not set reads {@link RequestAdapter#NOT_KNOWN}.
 */
final class ContainerReceipt {

  /** Tomcat's {@code HttpServletRequest}; null elsewhere. */
  private static final @Nullable Class<?> TOMCAT_REQUEST;
  /** {@code (HttpServletRequest) long}: its coyote request's start time; null where there is none. */
  private static final @Nullable MethodHandle TOMCAT_RECEIVED;
  /** Jetty 12's {@code HttpServletRequest}; null elsewhere. */
  private static final @Nullable Class<?> JETTY_REQUEST;
  /** {@code (HttpServletRequest) long}: its core request's begin time; null where there is none. */
  private static final @Nullable MethodHandle JETTY_RECEIVED;

  static {
    Class<?> facade = load("org.apache.catalina.connector.RequestFacade");
    TOMCAT_RECEIVED = facade == null ? null : tomcat(facade);
    TOMCAT_REQUEST = TOMCAT_RECEIVED == null ? null : facade;
    Class<?> apiRequest = load("org.eclipse.jetty.ee10.servlet.ServletApiRequest");
    JETTY_RECEIVED = apiRequest == null ? null : jetty();
    JETTY_REQUEST = JETTY_RECEIVED == null ? null : apiRequest;
  }

  private ContainerReceipt() {}

  /** When the container received {@code request}, on {@code System.nanoTime()}'s clock; NOT_KNOWN if it does not say. */
  static long nanos(HttpServletRequest request) {
    try {
      long received;
      Class<?> type = request.getClass();
      if (type == TOMCAT_REQUEST && TOMCAT_RECEIVED != null) {
        received = (long) TOMCAT_RECEIVED.invokeExact(request);
      } else if (JETTY_REQUEST != null && JETTY_RECEIVED != null && JETTY_REQUEST.isInstance(request)) {
        received = (long) JETTY_RECEIVED.invokeExact(request);
      } else {
        return RequestAdapter.NOT_KNOWN;
      }
      return received == -1 || received == 0 ? RequestAdapter.NOT_KNOWN : received; // not set (Tomcat's -1)
    } catch (Throwable e) { // invokeExact declares Throwable; a recycled request, a class that changed
      return RequestAdapter.NOT_KNOWN;
    }
  }

  /** {@code ((RequestFacade) r).request.getCoyoteRequest().getStartTimeNanos()}: Tomcat 10.1 and later. */
  private static @Nullable MethodHandle tomcat(Class<?> facade) {
    try {
      Class<?> connectorRequest = load("org.apache.catalina.connector.Request");
      Class<?> coyoteRequest = load("org.apache.coyote.Request");
      if (connectorRequest == null || coyoteRequest == null) {
        return null;
      }
      MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(facade, MethodHandles.lookup());
      MethodHandle request = lookup.findGetter(facade, "request", connectorRequest);
      MethodHandle coyote = lookup.findVirtual(connectorRequest, "getCoyoteRequest", MethodType.methodType(coyoteRequest));
      MethodHandle start = lookup.findVirtual(coyoteRequest, "getStartTimeNanos", MethodType.methodType(long.class));
      return MethodHandles.filterReturnValue(MethodHandles.filterReturnValue(request, coyote), start)
          .asType(MethodType.methodType(long.class, HttpServletRequest.class));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null; // Tomcat 9 keeps no start in nanoseconds; a security manager; a module that does not open
    }
  }

  /** {@code ServletContextRequest.getServletContextRequest(r).getBeginNanoTime()}: Jetty 12. */
  private static @Nullable MethodHandle jetty() {
    try {
      Class<?> contextRequest = load("org.eclipse.jetty.ee10.servlet.ServletContextRequest");
      Class<?> coreRequest = load("org.eclipse.jetty.server.Request");
      if (contextRequest == null || coreRequest == null) {
        return null;
      }
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle of = lookup.findStatic(
          contextRequest, "getServletContextRequest", MethodType.methodType(contextRequest, ServletRequest.class));
      MethodHandle begin = lookup.findVirtual(coreRequest, "getBeginNanoTime", MethodType.methodType(long.class));
      return MethodHandles.filterReturnValue(of, begin.asType(MethodType.methodType(long.class, contextRequest)))
          .asType(MethodType.methodType(long.class, HttpServletRequest.class));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return null;
    }
  }

  private static @Nullable Class<?> load(String name) {
    return Containers.load(ContainerReceipt.class.getClassLoader(), name);
  }
}
