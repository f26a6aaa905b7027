package dev.requesttiming.servlet;

class TomcatIncidentIT extends IncidentScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
