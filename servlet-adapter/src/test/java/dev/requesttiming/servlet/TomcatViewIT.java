package dev.requesttiming.servlet;

class TomcatViewIT extends ViewScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
