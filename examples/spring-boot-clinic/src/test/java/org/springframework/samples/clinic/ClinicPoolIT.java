package org.springframework.samples.clinic;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.requesttiming.core.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.samples.clinic.ClinicUnderLoadIT.Clinic;

/**
 * The clinic with a connection pool too small for its load, as Boot configures HikariCP and binds
 * its gauges: twenty clients on the owners page share two connections. The report's first lines say
 * so, in the pool's own name and with how full it is, not as a frame of HikariCP's.
 */
class ClinicPoolIT {

  private static final int CLIENTS = 20;
  private static final long LOAD_NANOS = 8_000_000_000L;

  @Test
  void aPoolTooSmall_isWhereSlowRequestsWaited_namedWithItsCounts() throws Exception {
    System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
    try (LogCapture log = LogCapture.of("dev.requesttiming.report");
        Clinic clinic = Clinic.start("--spring.datasource.hikari.maximum-pool-size=2", "--spring.datasource.hikari.pool-name=clinic-db")) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      long end = System.nanoTime() + LOAD_NANOS;
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        running.add(clients.submit(() -> {
          while (System.nanoTime() < end) {
            assertThat(clinic.send("GET", "/owners?lastName=").statusCode()).isEqualTo(200);
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
      clients.shutdown();

      List<String> waits = log.events().stream().map(ILoggingEvent::getFormattedMessage)
          .flatMap(m -> m.lines().filter(l -> l.startsWith("slow requests waited, all endpoints:"))).toList();
      waits.forEach(System.out::println);
      assertThat(waits).anyMatch(l -> l.matches(
          ".*\\d+% waiting for a database connection from clinic-db \\(\\d+ of 2 in use, \\d+ waiting\\).*"));
      assertThat(log.messages()).anyMatch(m -> m.contains("    stuck at OwnerController.")
          && m.contains("waiting for a database connection from clinic-db"));
    } finally {
      System.clearProperty("org.springframework.boot.logging.LoggingSystem");
    }
  }
}
