package dev.requesttiming.servlet;

class TomcatHostileInputIT extends HostileInputScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
