package dev.requesttiming.servlet;

import java.time.Duration;

class JettyKeepAliveIT extends KeepAliveScenarios {
  @Override
  ServletContainer newContainer(Duration idle) {
    return new JettyContainer().keepAlive(idle);
  }

  @Override
  String source() {
    return "Jetty's connector idleTimeout";
  }
}
