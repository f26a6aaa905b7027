package dev.requesttiming.servlet;

class JettyBudgetApiIT extends BudgetApiScenarios {
  @Override
  ServletContainer newContainer() {
    return new JettyContainer();
  }
}
