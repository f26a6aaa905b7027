package dev.requesttiming.servlet;

class JettySpringErrorViewIT extends SpringErrorViewScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
