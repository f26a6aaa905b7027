package dev.requesttiming.java11;

import javax.servlet.ServletContainerInitializer;
import javax.servlet.http.HttpServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/** The javax filter in embedded Jetty 10 (Servlet 4.0, which needs Java 11) on Java 11. */
class Jetty10OnJava11IT extends JavaxFilterScenarios {

  private Server server;

  @Override
  int start(ServletContainerInitializer setup, HttpServlet app) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServletContainerInitializer(setup);
    context.addServlet(new ServletHolder(app), "/");
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  @Override
  void stop() throws Exception {
    server.stop();
  }
}
