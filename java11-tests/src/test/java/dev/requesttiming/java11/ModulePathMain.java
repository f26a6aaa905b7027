package dev.requesttiming.java11;

import dev.requesttiming.core.RequestBudget;
import dev.requesttiming.core.RequestTiming;
import dev.requesttiming.core.RequestTimingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.module.ModuleDescriptor;
import java.time.Duration;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Started by {@link ModulePathOnJava11IT} with the jars on the module path: prints what it finds. */
public final class ModulePathMain {

  private ModulePathMain() {}

  public static void main(String[] args) throws Exception {
    Module core = RequestTiming.class.getModule();
    ModuleDescriptor descriptor = core.getDescriptor();
    System.out.println("core=" + core.getName() + " automatic=" + descriptor.isAutomatic()
        + " exports=" + descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toCollection(TreeSet::new))
        + " engineExported=" + core.isExported("dev.requesttiming.core.internal.engine"));

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (RequestTiming<String> timing =
        RequestTiming.create(registry, RequestTimingConfig.builder().reportInterval(Duration.ZERO).build(), PathRequests.GET)) {
      RequestBudget budget = timing.start("/api/users/42");
      timing.finish(budget, 200, null);
      System.out.println("count=" + (long) registry.get("http.server.requests").tag("uri", "/api/users/{id}").timer().count());
    }

    Module javax = Class.forName("dev.requesttiming.servlet.javax.RequestTimingFilter").getModule();
    System.out.println("javax=" + javax.getName() + " reads core=" + javax.canRead(core));
  }
}
