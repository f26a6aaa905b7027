package dev.requesttiming.servlet;

class TomcatBudgetApiIT extends BudgetApiScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
