package dev.requesttiming.spring;

import dev.requesttiming.core.RequestTimingConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * The timeout audit's view of real clients: once the app is ready, the read timeouts of the request
 * factories Spring Boot's builders have built (for {@code RestClient} and {@code RestTemplate}),
 * against the budget. A WARN for each one that would outwait the worker with nothing to stop it.
 */
final class DownstreamClientsAudit implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger LOG = BootSettings.LOG;

  private final BudgetAwareClientBuilders builders;
  private final RequestTimingConfig config;

  DownstreamClientsAudit(BudgetAwareClientBuilders builders, RequestTimingConfig config) {
    this.builders = builders;
    this.config = config;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    List<BudgetAwareClientBuilders.Built> built = new ArrayList<>(builders.built());
    built.sort(Comparator.comparing(BudgetAwareClientBuilders.Built::factory).thenComparing(BudgetAwareClientBuilders.Built::readTimeout));
    if (built.isEmpty()) {
      return;
    }
    Duration budget = config.budget();
    StringBuilder table =
        new StringBuilder("downstream clients built by Spring Boot's builders (RestClient, RestTemplate), against the ")
            .append(text(budget))
            .append(" budget:");
    for (BudgetAwareClientBuilders.Built b : built) {
      String factory = b.factory();
      Duration readTimeout = b.readTimeout();
      boolean outwaits = readTimeout.isZero() || readTimeout.compareTo(budget) >= 0;
      table.append("\n  ").append(factory).append("  read timeout ").append(readTimeout.isZero() ? "none" : text(readTimeout))
          .append(!outwaits ? "  (gives up first)"
              : builders.enabled() ? "  capped per call at the remaining budget minus " + text(config.downstreamReserve())
              : "  OUTWAITS THE WORKER");
      if (outwaits && !builders.enabled()) {
        LOG.warn(
            "downstream {} read timeout {} is {} the {} worker budget and request-timing.downstream.enabled=false:"
                + " a slow downstream keeps the worker until it is killed; turn it on or set a read timeout below {}",
            factory, readTimeout.isZero() ? "none" : text(readTimeout), readTimeout.isZero() ? "longer than" : "not shorter than",
            text(budget), text(budget));
      }
    }
    LOG.info(table.toString());
  }

  private static String text(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
