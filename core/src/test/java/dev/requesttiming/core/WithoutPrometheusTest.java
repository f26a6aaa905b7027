package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * micrometer-registry-prometheus is an optional dependency: without it on the class path, the
 * library still loads, times and records into Micrometer's timer.
 */
class WithoutPrometheusTest {

  /** Runs in a class loader that has no Prometheus class: the count of one timed request. */
  public static double timeOneRequest() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RequestTiming<TestRequest> timing = RequestTiming.create(registry, RequestTimingConfig.defaults(), TestRequest.adapterRouting(r -> "/api/hello"))) {
      timing.finish(timing.start(new TestRequest("GET", "/api/hello")), 200, null);
      return registry.get("http.server.requests").timer().count(); // before close removes it
    }
  }

  @Test
  void theLibraryWorks_withoutThePrometheusRegistryOnTheClassPath() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("prometheus")) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    try (URLClassLoader noPrometheus = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> noPrometheus.loadClass("io.micrometer.prometheusmetrics.PrometheusMeterRegistry"))
          .isInstanceOf(ClassNotFoundException.class);
      Class<?> test = noPrometheus.loadClass(WithoutPrometheusTest.class.getName());
      assertThat(test.getClassLoader()).isSameAs(noPrometheus);

      java.lang.reflect.Method timeOneRequest = test.getMethod("timeOneRequest");
      timeOneRequest.setAccessible(true); // this test class is package-private
      assertThat(timeOneRequest.invoke(null)).isEqualTo(1.0);
    }
  }
}
