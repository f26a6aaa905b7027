package dev.requesttiming.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** Embedded Tomcat 10.1. */
final class TomcatContainer implements ServletContainer {

  /** Tomcat logs through java.util.logging; keep its start/stop chatter out of the test output. */
  private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");
  private static final Logger LOADER_LOG = Logger.getLogger("org.apache.catalina.loader");

  static {
    TOMCAT_LOG.setLevel(Level.WARNING);
    LOADER_LOG.setLevel(Level.SEVERE); // no advice on --add-opens for leak detection
  }

  private final int maxThreads;
  private long keepAliveMillis = -1;
  private Tomcat tomcat;

  TomcatContainer() {
    this(200); // Tomcat's default
  }

  /** Tomcat whose connector serves at most {@code maxThreads} requests at once. */
  TomcatContainer(int maxThreads) {
    this.maxThreads = maxThreads;
  }

  /** Idle connections closed after {@code idle} (Tomcat's keepAliveTimeout; its connectionTimeout by default). */
  TomcatContainer keepAlive(java.time.Duration idle) {
    this.keepAliveMillis = idle.toMillis();
    return this;
  }

  @Override
  public int start(ServletContainerInitializer setup) throws Exception {
    Path base = Files.createTempDirectory("tomcat");
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    connector.setProperty("maxThreads", Integer.toString(maxThreads));
    if (keepAliveMillis > 0) {
      connector.setProperty("keepAliveTimeout", Long.toString(keepAliveMillis));
    }
    if (ServletContainer.virtualThreads() && !connector.setProperty("useVirtualThreads", "true")) {
      throw new IllegalStateException("Tomcat did not take useVirtualThreads on " + Runtime.version());
    }
    tomcat.getService().addConnector(connector);
    Context context = tomcat.addContext("", base.toString());
    context.addServletContainerInitializer(setup, null);
    tomcat.start();
    return connector.getLocalPort();
  }

  @Override
  public void close() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
  }

  @Override
  public String toString() {
    return ServletContainer.virtualThreads() ? "Tomcat 10.1 (virtual threads)" : "Tomcat 10.1";
  }
}
