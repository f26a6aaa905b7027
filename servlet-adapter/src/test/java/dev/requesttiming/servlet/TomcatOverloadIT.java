package dev.requesttiming.servlet;

class TomcatOverloadIT extends OverloadScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer(WORKERS);
  }
}
