package dev.requesttiming.servlet;

class JettyFilterIT extends FilterScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
