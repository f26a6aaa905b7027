package dev.requesttiming.servlet;

import static dev.requesttiming.servlet.Containers.call;
import static dev.requesttiming.servlet.Containers.hasMethod;

import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How long the container keeps an idle connection open ({@link Containers}): the shortest of its
 * connectors' Jetty {@code idleTimeout} or Tomcat {@code keepAliveTimeout} (which is Tomcat's {@code
 * connectionTimeout} unless set), for the keep-alive check against {@code upstream-idle-timeouts}.
 *
 * @param idle how long an idle connection stays open
 * @param source where that comes from, for the log
 */
record ServerKeepAlive(Duration idle, String source) {

  static Optional<ServerKeepAlive> find(ServletContext context) {
    return Containers.read(context, ServerKeepAlive::jetty, ServerKeepAlive::tomcat);
  }

  private static @Nullable ServerKeepAlive jetty(ServletContext context) throws ReflectiveOperationException {
    Object server = Containers.jettyServer(context);
    long shortest = Long.MAX_VALUE;
    if (server != null) {
      for (Object connector : Containers.jettyConnectors(server)) {
        if (hasMethod(connector, "getIdleTimeout")) {
          shortest = Math.min(shortest, (Long) call(connector, "getIdleTimeout"));
        }
      }
    }
    return shortest > 0 && shortest != Long.MAX_VALUE ? new ServerKeepAlive(Duration.ofMillis(shortest), "Jetty's connector idleTimeout") : null;
  }

  private static @Nullable ServerKeepAlive tomcat(ServletContext context) throws ReflectiveOperationException {
    long shortest = Long.MAX_VALUE;
    for (Object connector : Containers.tomcatConnectors(context)) {
      Object protocol = call(connector, "getProtocolHandler");
      if (protocol != null && hasMethod(protocol, "getKeepAliveTimeout")) {
        shortest = Math.min(shortest, ((Number) call(protocol, "getKeepAliveTimeout")).longValue());
      }
    }
    return shortest > 0 && shortest != Long.MAX_VALUE ? new ServerKeepAlive(Duration.ofMillis(shortest), "Tomcat's connector keepAliveTimeout") : null;
  }
}
