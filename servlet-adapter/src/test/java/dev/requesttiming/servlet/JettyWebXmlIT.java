package dev.requesttiming.servlet;

class JettyWebXmlIT extends WebXmlScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
