package dev.requesttiming.java11;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.servlet.ServletContainerInitializer;
import javax.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/** The javax filter in embedded Tomcat 9 on Java 11. */
class Tomcat9OnJava11IT extends JavaxFilterScenarios {

  private Tomcat tomcat;

  @Override
  int start(ServletContainerInitializer setup, HttpServlet app) throws Exception {
    Path dir = Files.createTempDirectory("tomcat9");
    tomcat = new Tomcat();
    tomcat.setBaseDir(dir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    Context context = tomcat.addContext("", dir.toString());
    context.addServletContainerInitializer(setup, null);
    Tomcat.addServlet(context, "app", app).addMapping("/");
    tomcat.start();
    return connector.getLocalPort();
  }

  @Override
  void stop() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
