package dev.requesttiming.servlet;

class TomcatWebXmlIT extends WebXmlScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
