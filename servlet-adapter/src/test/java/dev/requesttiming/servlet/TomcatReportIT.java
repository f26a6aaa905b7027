package dev.requesttiming.servlet;

class TomcatReportIT extends ReportScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
