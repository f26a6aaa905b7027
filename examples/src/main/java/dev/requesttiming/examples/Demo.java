package dev.requesttiming.examples;

import dev.requesttiming.core.RequestTimingConfig;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the demo: {@code java -jar examples/target/request-timing-demo.jar --traffic}. See {@link
 * DemoOptions#USAGE} for the flags.
 */
public final class Demo {

  private static final Logger LOG = LoggerFactory.getLogger("dev.requesttiming.demo");

  private Demo() {}

  /** The entry point of the demo jar. */
  public static void main(String[] args) throws Exception {
    DemoOptions options;
    try {
      if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
        System.out.print(DemoOptions.USAGE);
        return;
      }
      options = DemoOptions.parse(args);
      RequestTimingConfig.builder().set("budget", options.budget()).set("report-interval", options.reportInterval()).build();
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    DemoServer server = DemoServer.open(options); // the port is bound, so the first line can name it
    String url = "http://localhost:" + server.port();
    LOG.info(
        "request-timing demo on {} ({}; budget {}, report every {}): the live view at {}" + DemoServer.VIEW + "/;"
            + " try curl '{}/api/slow?ms=4000', curl -X POST {}/api/chat, curl {}/metrics, curl {}/report",
        url,
        options.timing() ? "timing on" : "timing OFF",
        options.budget(),
        options.reportInterval(),
        url,
        url,
        url,
        url,
        url);
    server.start();
    Duration budget = RequestTimingConfig.builder().set("budget", options.budget()).build().budget();
    TrafficGenerator traffic = options.traffic() ? new TrafficGenerator(server.port(), budget, 8) : null;
    if (traffic != null) {
      LOG.info(
          "sending demo traffic for up to {} minutes: flags appear within seconds, a report every {}; every {} minutes"
              + " a {}s wave of {} users on /api/slow fills the {} workers, and the other endpoints keep answering",
          TrafficGenerator.MAX_RUN.toMinutes(),
          options.reportInterval(),
          TrafficGenerator.WAVE_EVERY.toMinutes(),
          TrafficGenerator.WAVE_LENGTH.toSeconds(),
          TrafficGenerator.WAVE_USERS,
          DemoServer.WORKERS);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    if (traffic != null) {
                      traffic.close();
                    }
                    server.close();
                  } catch (Exception e) {
                    LOG.warn("demo stopped with an error", e);
                  } finally {
                    stopped.countDown();
                  }
                },
                "demo-shutdown"));
    stopped.await();
  }
}
