package dev.requesttiming.servlet;

class JettyIncidentIT extends IncidentScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
