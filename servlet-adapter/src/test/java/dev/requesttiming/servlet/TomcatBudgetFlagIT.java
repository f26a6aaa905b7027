package dev.requesttiming.servlet;

class TomcatBudgetFlagIT extends BudgetFlagScenarios {
  @Override
  ServletContainer newContainer() {
    return new TomcatContainer();
  }
}
