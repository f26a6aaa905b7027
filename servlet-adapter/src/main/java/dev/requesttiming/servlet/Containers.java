package dev.requesttiming.servlet;

import jakarta.servlet.ServletContext;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the filter reads of the container a web app runs in, by reflection, since it depends on no
 * container: Jetty 12's {@code Server} behind a servlet context, Tomcat's connectors behind one.
 * Anything else, or a class that changed, finds nothing.
 */
final class Containers {

  private Containers() {}

  /** Reads one thing of one container; null when the context is not that container's. */
  interface Reader<T> {
    @Nullable T read(ServletContext context) throws ReflectiveOperationException;
  }

  /** What {@code jetty} reads, else what {@code tomcat} reads; nothing on any failure. */
  static <T> Optional<T> read(ServletContext context, Reader<T> jetty, Reader<T> tomcat) {
    try {
      T found = jetty.read(context);
      return Optional.ofNullable(found != null ? found : tomcat.read(context));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return Optional.empty();
    }
  }

  /** Jetty's {@code Server} of the context; null when it is not Jetty's. */
  static @Nullable Object jettyServer(ServletContext context) throws ReflectiveOperationException {
    Class<?> handlerType = load(context, "org.eclipse.jetty.ee10.servlet.ServletContextHandler");
    if (handlerType == null) {
      return null;
    }
    Object handler = handlerType.getMethod("getServletContextHandler", ServletContext.class).invoke(null, context);
    return handler == null ? null : call(handler, "getServer");
  }

  /** The connectors of Jetty's {@code Server}. */
  static Object[] jettyConnectors(Object server) throws ReflectiveOperationException {
    return (Object[]) call(server, "getConnectors");
  }

  /** Tomcat's connectors of the context's service; empty when it is not Tomcat's. */
  static List<Object> tomcatConnectors(ServletContext facade) throws ReflectiveOperationException {
    if (!facade.getClass().getName().equals("org.apache.catalina.core.ApplicationContextFacade")) {
      return List.of();
    }
    Object applicationContext = field(facade, "context");
    Object standardContext = field(applicationContext, "context");
    Object host = call(standardContext, "getParent");
    Object engine = host == null ? null : call(host, "getParent");
    Object service = engine == null ? null : call(engine, "getService");
    Object[] connectors = service == null ? new Object[0] : (Object[]) call(service, "findConnectors");
    return List.of(connectors);
  }

  static @Nullable Class<?> load(ServletContext context, String name) {
    return load(context.getClass().getClassLoader(), name);
  }

  /** The class of that name as {@code loader} sees it, not initialized; null when it is not there. */
  static @Nullable Class<?> load(@Nullable ClassLoader loader, String name) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  static @Nullable Object call(Object target, String method) throws ReflectiveOperationException {
    return target.getClass().getMethod(method).invoke(target);
  }

  static boolean hasMethod(Object target, String method) {
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
