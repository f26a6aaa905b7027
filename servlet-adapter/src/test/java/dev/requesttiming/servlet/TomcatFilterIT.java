package dev.requesttiming.servlet;

class TomcatFilterIT extends FilterScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
