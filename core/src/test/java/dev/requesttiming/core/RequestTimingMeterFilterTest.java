package dev.requesttiming.core;

import dev.requesttiming.core.internal.metrics.RequestsHistogram;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestTimingMeterFilterTest {

  private final RequestTimingConfig config = RequestTimingConfig.builder().budget(Duration.ofSeconds(3)).build();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Records like Spring's observation handler does: a bare timer, no histogram of its own. */
  private void recordForeignTimer() {
    Timer.builder("http.server.requests").tag("uri", "/api/x").register(registry).record(Duration.ofMillis(1700));
  }

  @Test
  void foreignRequestsTimer_getsOurHistogram_withBoundariesAtTheLevelsOfTheBudget() {
    registry.config().meterFilter(RequestTimingMeterFilter.of(config));
    recordForeignTimer();

    String scrape = registry.scrape();
    // warn 1.5s, critical 2.4s, 1x 3s, 2x 6s: none of them is one of Micrometer's default buckets
    assertThat(scrape)
        .contains("http_server_requests_seconds_bucket{uri=\"/api/x\",le=\"1.5\"} 0")
        .contains("http_server_requests_seconds_bucket{uri=\"/api/x\",le=\"2.4\"} 1")
        .contains("http_server_requests_seconds_bucket{uri=\"/api/x\",le=\"3.0\"} 1")
        .contains("http_server_requests_seconds_bucket{uri=\"/api/x\",le=\"6.0\"} 1");
  }

  @Test
  void compactHistogram_reachesTwiceTheLargestEndpointBudget_withoutAPercentileHistogram() {
    RequestTimingConfig longChat = config.toBuilder().endpointBudget("POST /api/chat", Duration.ofSeconds(120)).build();
    DistributionStatisticConfig distribution = new RequestsHistogram(longChat.settings()).distribution();
    assertThat(distribution.getServiceLevelObjectiveBoundaries()).contains(1.5e9, 2.4e9, 3e9, 6e9, 120e9, 240e9);
    assertThat(distribution.isPercentileHistogram()).isFalse();
  }

  @Test
  void detailedHistogram_isMicrometersPercentileHistogram_reachingTwiceTheLargestEndpointBudget() {
    RequestTimingConfig longChat =
        config.toBuilder().endpointBudget("POST /api/chat", Duration.ofSeconds(120)).histogram(RequestTimingConfig.Histogram.DETAILED).build();
    DistributionStatisticConfig distribution = new RequestsHistogram(longChat.settings()).distribution();
    assertThat(distribution.getMaximumExpectedValueAsDouble()).isEqualTo(240e9);
    assertThat(distribution.isPercentileHistogram()).isTrue();
  }

  @Test
  void compactHistogram_ofAShortBudget_startsAtAThousandthOfIt_andHasAtMost24Buckets() {
    RequestTimingConfig shortBudget = config.toBuilder().budget(Duration.ofMillis(200)).build();
    RequestsHistogram histogram = new RequestsHistogram(shortBudget.settings());
    assertThat(histogram.distribution().getServiceLevelObjectiveBoundaries())
        .containsExactly(
            0.25e6, 0.5e6, 0.75e6, 1e6, 2.5e6, 5e6, 7.5e6, 10e6, 25e6, 50e6, 75e6, 100e6, 160e6, 200e6, 300e6, 400e6, 800e6);
    assertThat(histogram.describe())
        .isEqualTo("compact, 17 boundaries: 0.25ms 0.5ms 0.75ms 1ms 2.5ms 5ms 7.5ms 10ms 25ms 50ms 75ms,"
            + " 100ms (warn), 160ms (critical), 200ms (budget), 300ms (1.5× budget), 400ms (2× budget), 800ms (4× budget)");
  }

  @Test
  void compactHistogram_ofTheDefaultBudget_isTheAdviceLadderFrom5ms_andTheLevels() {
    RequestsHistogram histogram = new RequestsHistogram(RequestTimingConfig.defaults().settings());
    assertThat(histogram.distribution().getServiceLevelObjectiveBoundaries())
        .hasSize(21)
        .startsWith(5e6, 7.5e6, 10e6)
        .endsWith(7.5e9, 10e9, 15e9, 24e9, 30e9, 45e9, 60e9, 120e9);
  }

  @Test
  void settingsOfALaterFilter_winOverOurs() {
    registry.config().meterFilter(RequestTimingMeterFilter.of(config));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(io.micrometer.core.instrument.Meter.Id id, DistributionStatisticConfig c) {
        // what Spring Boot's PropertiesMeterFilter does with management.metrics.distribution.slo
        return DistributionStatisticConfig.builder().serviceLevelObjectives(Duration.ofMillis(123).toNanos()).build().merge(c);
      }
    });
    recordForeignTimer();

    assertThat(registry.scrape()).contains("le=\"0.123\"").doesNotContain("le=\"1.5\"");
  }

  @Test
  void aSecondActiveMeterWithStatusTags_isDenied_oursStays() {
    registry.config().meterFilter(RequestTimingMeterFilter.of(config));
    LongTaskTimer ours = LongTaskTimer.builder("http.server.requests.active").tags("method", "GET", "uri", "/api/x").register(registry);
    LongTaskTimer spring = LongTaskTimer.builder("http.server.requests.active")
        .tags("method", "GET", "uri", "UNKNOWN", "status", "UNKNOWN", "outcome", "UNKNOWN", "exception", "none")
        .register(registry);
    ours.start();
    spring.start();

    assertThat(registry.find("http.server.requests.active").longTaskTimers()).containsExactly(ours);
    assertThat(registry.scrape()).contains("http_server_requests_active_seconds_count{method=\"GET\",uri=\"/api/x\"} 1")
        .doesNotContain("UNKNOWN");
  }

  @Test
  void otelNames_sameRules_forTheOtelRequestTimer() {
    registry.config().meterFilter(RequestTimingMeterFilter.of(config.toBuilder().metricNames(RequestTimingConfig.MetricNames.OTEL).build()));
    Timer.builder("http.server.request.duration").tag("http.route", "/api/x").register(registry).record(Duration.ofMillis(1700));
    LongTaskTimer.builder("http.server.request.duration.active")
        .tags("http.request.method", "GET", "http.route", "UNKNOWN", "error.type", "none").register(registry).start();

    assertThat(registry.scrape())
        .contains("http_server_request_duration_seconds_bucket{http_route=\"/api/x\",le=\"1.5\"} 0")
        .contains("http_server_request_duration_seconds_bucket{http_route=\"/api/x\",le=\"6.0\"} 1")
        .doesNotContain("UNKNOWN");
  }

  @Test
  void otherMeters_areLeftAlone() {
    registry.config().meterFilter(RequestTimingMeterFilter.of(config));
    Timer.builder("http.client.requests").register(registry).record(Duration.ofMillis(5));
    LongTaskTimer.builder("tasks.active").tags("status", "x").register(registry).start();

    assertThat(registry.scrape()).doesNotContain("http_client_requests_seconds_bucket").contains("tasks_active");
  }

  @Test
  void nullConfig_isRejected() {
    org.assertj.core.api.Assertions.assertThatNullPointerException()
        .isThrownBy(() -> RequestTimingMeterFilter.of(null)).withMessage("config == null");
  }
}
