package dev.requesttiming.core.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.EndpointReport;
import dev.requesttiming.core.internal.metrics.ConnectionPools;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopWaitsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private void hikariGauge(String name, double value) {
    Gauge.builder("hikaricp.connections." + name, () -> value).tag("pool", "HikariPool-1").register(registry);
  }

  @Test
  void theWaitsOfAllEndpoints_summedWithoutTheirAppFrames_mostFirst_withThePoolsStateNow() {
    hikariGauge("active", 2);
    hikariGauge("max", 2);
    hikariGauge("pending", 18);
    String pool = "waiting for a database connection from HikariPool-1";
    List<List<EndpointReport.Site>> sites = List.of(
        List.of(new EndpointReport.Site("OwnerController.show(OwnerController.java:133) " + pool, 40, 0.8),
            new EndpointReport.Site("OwnerController.show(OwnerController.java:140) running", 10, 0.2)),
        List.of(new EndpointReport.Site("VetController.list(VetController.java:30) " + pool, 22, 0.55),
            new EndpointReport.Site("rendering the view blocked on a lock (UrlJarFiles$Cache) held by a thread at rendering the view running", 16, 0.4),
            new EndpointReport.Site("(other sites)", 2, 0.05)));

    List<EndpointReport.Site> top = TopWaits.of(sites, new ConnectionPools(registry));

    assertThat(top).extracting(EndpointReport.Site::site).containsExactly(
        pool + " (2 of 2 in use, 18 waiting)",
        "rendering the view blocked on a lock (UrlJarFiles$Cache) held by a thread at rendering the view running",
        "running on the CPU");
    assertThat(top.get(0).samples()).isEqualTo(62);
    assertThat(top.get(0).share()).isEqualTo(62.0 / 88);
    assertThat(new ConnectionPools(registry).hikariPool()).isEqualTo("HikariPool-1");
  }
}
