package dev.requesttiming.servlet;

import java.time.Duration;

class TomcatKeepAliveIT extends KeepAliveScenarios {
  @Override
  ServletContainer newContainer(Duration idle) {
    return new TomcatContainer().keepAlive(idle);
  }

  @Override
  String source() {
    return "Tomcat's connector keepAliveTimeout";
  }
}
