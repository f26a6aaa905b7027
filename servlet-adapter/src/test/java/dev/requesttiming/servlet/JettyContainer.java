package dev.requesttiming.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.util.concurrent.Executor;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Embedded Jetty 12 (ee10). */
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
  JettyContainer keepAlive(java.time.Duration idle) {
    this.idleTimeoutMillis = idle.toMillis();
    return this;
  }

  @Override
  public int start(ServletContainerInitializer setup) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
    if (ServletContainer.virtualThreads()) {
      Executor virtual = VirtualThreads.getDefaultVirtualThreadsExecutor();
      if (virtual == null) {
        throw new IllegalStateException("virtual threads asked for, but this JVM has none: " + Runtime.version());
      }
      threads.setVirtualThreadsExecutor(virtual);
    }
    server = new Server(threads);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    if (idleTimeoutMillis > 0) {
      connector.setIdleTimeout(idleTimeoutMillis);
    }
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(setup);
    server.setHandler(context);
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
    return ServletContainer.virtualThreads() ? "Jetty 12 (virtual threads)" : "Jetty 12";
  }
}
