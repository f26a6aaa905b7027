package dev.requesttiming.servlet;

class JettyViewIT extends ViewScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
