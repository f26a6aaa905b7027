package dev.requesttiming.servlet;

class TomcatFaultIT extends FaultScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
