package dev.requesttiming.servlet;

class JettyOverloadIT extends OverloadScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer(WORKERS + 2); // its acceptor and selector lease two
  }
}
