package dev.requesttiming.servlet;

class TomcatSpringErrorViewIT extends SpringErrorViewScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
