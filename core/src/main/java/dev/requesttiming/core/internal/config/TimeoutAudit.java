package dev.requesttiming.core.internal.config;

import dev.requesttiming.core.internal.util.Durations;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Checks that the timeout layers cut in the right order: every upstream layer (proxy,
 * load balancer) must wait longer than the largest worker budget, and every downstream call (HTTP
 * client, database) must give up before the worker budget does.
 */
final class TimeoutAudit {

  private record Layer(String kind, String name, Duration timeout) {}

  private final Settings config;

  TimeoutAudit(Settings config) {
    this.config = config;
  }

  boolean hasLayers() {
    return !config.upstreamTimeouts().isEmpty() || !config.downstreamTimeouts().isEmpty();
  }

  /** One sentence per layer that cuts in the wrong order: what will happen and how to fix it. */
  List<String> violations() {
    List<String> found = new ArrayList<>();
    Duration largest = config.endpointBudgets().largest();
    Duration budget = config.budget();
    sorted(config.upstreamTimeouts()).forEach((name, timeout) -> {
      if (timeout.compareTo(largest) <= 0) {
        found.add(
            "upstream '" + name + "' timeout " + Durations.duration(timeout)
                + (timeout.equals(largest) ? " is no longer than" : " is shorter than")
                + " the " + Durations.duration(largest) + " worker budget: it gives up on requests"
                + " the app is still serving (the client gets a 504 while the worker goes on);"
                + " raise it above " + Durations.duration(largest) + " or lower the budget");
      }
    });
    sorted(config.downstreamTimeouts()).forEach((name, timeout) -> {
      if (timeout.compareTo(budget) >= 0) {
        found.add(
            "downstream '" + name + "' timeout " + Durations.duration(timeout)
                + (timeout.equals(budget) ? " is as long as" : " is longer than")
                + " the " + Durations.duration(budget) + " worker budget: the worker will be killed"
                + " before the call gives up; lower the client timeout below "
                + Durations.duration(budget) + " or let the call inherit the budget (DownstreamBudget)");
      }
    });
    return found;
  }

  /**
   * One sentence per layer in front that keeps idle connections open longer than the app server
   * does ({@code serverIdle}, from {@code source}): the server closes a connection the layer still
   * reuses, and the request sent on it fails with a 502.
   */
  List<String> keepAliveViolations(Duration serverIdle, String source) {
    List<String> found = new ArrayList<>();
    sorted(config.upstreamIdleTimeouts()).forEach((name, idle) -> {
      if (idle.compareTo(serverIdle) >= 0) {
        found.add(
            "upstream '" + name + "' keeps idle connections " + Durations.duration(idle)
                + (idle.equals(serverIdle) ? ", as long as" : ", longer than")
                + " the app server's keep-alive of " + Durations.duration(serverIdle) + " (" + source + "): the server"
                + " closes connections '" + name + "' still reuses, and the requests sent on them fail with 502;"
                + " keep idle connections longer in the server (above " + Durations.duration(idle) + ";"
                + " Spring Boot: server.tomcat.keep-alive-timeout or server.jetty.connection-idle-timeout)"
                + " or shorten '" + name + "''s idle timeout below " + Durations.duration(serverIdle));
      }
    });
    return found;
  }

  /** The layers from the outermost (cuts last) to the innermost (cuts first), as a small table. */
  String table() {
    List<Layer> layers = new ArrayList<>();
    sorted(config.upstreamTimeouts()).forEach((n, t) -> layers.add(new Layer("upstream", n, t)));
    layers.add(new Layer("worker", "budget", config.budget()));
    Duration largest = config.endpointBudgets().largest();
    if (!largest.equals(config.budget())) {
      layers.add(new Layer("worker", "largest endpoint budget", largest));
    }
    sorted(config.downstreamTimeouts()).forEach((n, t) -> layers.add(new Layer("downstream", n, t)));
    layers.sort(Comparator.comparing(Layer::timeout).reversed());
    int nameWidth = layers.stream().mapToInt(l -> l.name.length()).max().orElse(4);
    StringBuilder out = new StringBuilder("timeout layers, the outermost first (each must wait longer than the ones below it):");
    for (Layer l : layers) {
      out.append("\n  ")
          .append(String.format("%-10s  %-" + nameWidth + "s  %8s", l.kind, l.name, Durations.duration(l.timeout)));
    }
    return out.toString();
  }

  private static Map<String, Duration> sorted(Map<String, Duration> map) {
    return new java.util.TreeMap<>(map);
  }
}
