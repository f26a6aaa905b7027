package dev.requesttiming.servlet;

class JettyHostileInputIT extends HostileInputScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
