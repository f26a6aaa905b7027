package dev.requesttiming.servlet;

class TomcatSaturationIT extends SaturationScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer(WORKERS);
  }
}
