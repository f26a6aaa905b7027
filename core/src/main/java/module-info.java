/**
 * request-timing's core: per-endpoint latency, budget flags while requests run, and slow-endpoint
 * reports. Only {@code dev.requesttiming.core} is exported; {@code dev.requesttiming.core.internal.*}
 * is the engine, not an API.
 */
module dev.requesttiming.core {
  requires transitive micrometer.core;
  requires org.slf4j;
  requires java.net.http;
  requires static java.management;
  requires static org.jspecify;
  // optional: requests published to a PrometheusMeterRegistry directly, when it is on the path
  requires static micrometer.registry.prometheus;
  requires static io.prometheus.metrics.model;

  exports dev.requesttiming.core;
}
