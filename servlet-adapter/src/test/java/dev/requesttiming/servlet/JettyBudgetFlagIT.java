package dev.requesttiming.servlet;

class JettyBudgetFlagIT extends BudgetFlagScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
