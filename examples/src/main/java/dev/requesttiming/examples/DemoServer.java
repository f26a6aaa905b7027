package dev.requesttiming.examples;

import dev.requesttiming.core.RequestTimingConfig;
import dev.requesttiming.servlet.RequestTimingFilter;
import dev.requesttiming.servlet.RequestTimingViewServlet;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The demo app: embedded Jetty 12 with {@link RequestTimingFilter} in front of {@link DemoServlet}, on
 * a pool of {@value #WORKERS} workers that its traffic's slow waves fill. It reads the proxy's stamp
 * ({@value #STAMP}, which the traffic writes, playing the proxy) and keeps the other endpoints
 * answering when one is slow: {@code shed-spent}, {@code shed-late}, {@code endpoint-share=0.5}.
 */
final class DemoServer implements AutoCloseable {

  /** Where the live view is (an app would keep it behind its authentication). */
  static final String VIEW = "/timing";
  /** The header where a proxy in front would stamp when it received the request. */
  static final String STAMP = "X-Request-Start";
  /** Requests the demo serves at once: few, so that its slow waves fill them. */
  static final int WORKERS = 20;

  private final Server server;
  private final ServerConnector connector;
  private final PrometheusMeterRegistry registry;

  private DemoServer(Server server, ServerConnector connector, PrometheusMeterRegistry registry) {
    this.server = server;
    this.connector = connector;
    this.registry = registry;
  }

  /** Starts the demo at once. */
  static DemoServer start(DemoOptions options) throws Exception {
    DemoServer demo = open(options);
    demo.start();
    return demo;
  }

  /** Binds the port (so {@link #port()} is known) without starting the app yet. */
  static DemoServer open(DemoOptions options) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Server server = new Server(new QueuedThreadPool(WORKERS + 2)); // its acceptor and selector take two
    ServerConnector connector = new ServerConnector(server);
    connector.setPort(options.port());
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    if (options.timing()) {
      RequestTimingConfig config =
          RequestTimingConfig.builder()
              .set("budget", options.budget())
              .set("report-interval", options.reportInterval())
              .set("exclude", "/metrics, /health, /report, " + VIEW + "/**")
              .set("routes", "/api/users/{id}")
              .set("request-start-header", STAMP)
              .shedSpent(true)
              .shedLate(true)
              .endpointShare(0.5)
              .build();
      FilterHolder filter = new FilterHolder(new RequestTimingFilter(registry, config));
      filter.setAsyncSupported(true);
      context.addFilter(filter, "/*", EnumSet.allOf(DispatcherType.class));
    }
    context.addServlet(new ServletHolder(new RequestTimingViewServlet()), VIEW + "/*");
    ServletHolder servlet = new ServletHolder(new DemoServlet(registry));
    servlet.setAsyncSupported(true);
    context.addServlet(servlet, "/");
    server.setHandler(context);
    connector.open();
    return new DemoServer(server, connector, registry);
  }

  void start() throws Exception {
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  PrometheusMeterRegistry registry() {
    return registry;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
