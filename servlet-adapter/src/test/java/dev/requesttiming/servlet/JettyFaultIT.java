package dev.requesttiming.servlet;

class JettyFaultIT extends FaultScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
