package dev.requesttiming.servlet.javax;

import java.time.Duration;
import javax.servlet.ServletContainerInitializer;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 with its ee8 environment (Servlet 4.0, javax.servlet). */
final class JettyContainer implements ServletContainer {

  private final int maxThreads;
  private long idleTimeoutMillis = -1;
  private Server server;

  JettyContainer() {
    this(200); // Jetty's default
  }

  /** Jetty on a pool of {@code maxThreads}, its acceptor and selector among them. */
  JettyContainer(int maxThreads) {
    this.maxThreads = maxThreads;
  }

  /** Idle connections closed after {@code idle} (Jetty's connector idleTimeout; 30s by default). */
  JettyContainer keepAlive(Duration idle) {
    this.idleTimeoutMillis = idle.toMillis();
    return this;
  }

  @Override
  public int start(ServletContainerInitializer setup) throws Exception {
    server = new Server(new QueuedThreadPool(maxThreads, Math.min(8, maxThreads)));
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    if (idleTimeoutMillis > 0) {
      connector.setIdleTimeout(idleTimeoutMillis);
    }
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(server, "/");
    context.addServletContainerInitializer(setup);
    server.start();
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    if (server != null) {
      server.stop();
    }
  }

  @Override
  public String toString() {
    return "Jetty 12 (ee8)";
  }
}
