package dev.requesttiming.servlet;

class JettySaturationIT extends SaturationScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer(WORKERS + 2); // its acceptor and selector lease two
  }
}
