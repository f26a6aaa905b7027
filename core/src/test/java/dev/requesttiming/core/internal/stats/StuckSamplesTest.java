package dev.requesttiming.core.internal.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.EndpointReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An endpoint's stack samples: bounded in sites (moved here from StuckSiteTest). */
class StuckSamplesTest {

  @Test
  void samples_boundedInDistinctSites_sharesOfTheWhole() {
    StuckSamples samples = new StuckSamples();
    for (int i = 0; i < 100; i++) {
      samples.add("site-" + (i % 20)); // 20 distinct sites, 5 samples each
    }
    samples.add("site-0");
    List<EndpointReport.Site> top = samples.drain(StuckSamples.MAX_SITES + 1);
    assertThat(top).hasSize(StuckSamples.MAX_SITES + 1);
    assertThat(top.get(0)).as("the top site is a real one").isEqualTo(new EndpointReport.Site("site-0", 6, 6 / 101.0));
    assertThat(top.get(StuckSamples.MAX_SITES)).isEqualTo(new EndpointReport.Site("(other sites)", 20, 20 / 101.0));
    assertThat(top.stream().mapToLong(EndpointReport.Site::samples).sum()).isEqualTo(101);
    assertThat(samples.drain(3)).isEmpty();
  }

}
