package dev.requesttiming.servlet;

class JettyReportIT extends ReportScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
