package dev.requesttiming.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.requesttiming.core.internal.report.EndpointLine;
import dev.requesttiming.core.internal.report.TakenReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Golden-file tests: a report of fixed data against the table and JSON kept in test resources. */
class ReportTextTest {

  private static final Report REPORT =
      new TakenReport(
          Instant.parse("2026-11-22T08:00:00Z"),
          Instant.parse("2026-11-22T08:01:00Z"),
          4_321,
          5,
          List.of(
              new EndpointLine("POST", "/api/chat", 42, 0.7, 0.0238, ms(12_400), ms(10_100), ms(28_000), ms(39_500), ms(41_200),
                  Duration.ofSeconds(30), 39.5 / 30, 20, 10, 4, 0, Map.of(), false, 0, 17,
                  List.of(
                      new EndpointReport.Site("RagClient.query(RagClient.java:88) waiting in NioSocketImpl.park(NioSocketImpl.java:191)", 45, 0.9),
                      new EndpointReport.Site("ChatController.chat(ChatController.java:31)", 5, 0.1))),
              new EndpointLine("GET", "/api/users/{id}", 4_100, 68.3333, 0.001, ms(12.5), ms(9), ms(31), ms(85), ms(850),
                  Duration.ofSeconds(30), 0.085 / 30, 0, 0, 0, 0, Map.of(), false, 0, 3, List.of()),
              new EndpointLine("GET", "/api/\"quoted\"\\path", 150, 2.5, 0, ms(3), ms(2.1), ms(6), ms(9.9), ms(15),
                  Duration.ofSeconds(5), 0.0099 / 5, 0, 0, 0, 0, Map.of(), false, 0, 1, List.of())),
          19,
          2,
          List.of(
              new Report.Running("POST", "/api/chat", "4f2a", ms(41_000), Duration.ofSeconds(30), "http-nio-8080-exec-7"),
              new Report.Running("POST", "/api/chat", "0b1c", ms(17_250), Duration.ofSeconds(30), "unknown (async)")),
          Report.Workers.UNKNOWN,
          null,
          List.of());

  private static Duration ms(double millis) {
    return Duration.ofNanos((long) (millis * 1e6));
  }

  private static String golden(String name) throws IOException {
    try (InputStream in = ReportTextTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).stripTrailing();
    }
  }

  @Test
  void table_matchesGoldenFile() throws IOException {
    assertThat(REPORT.toString()).isEqualTo(golden("report-table.txt"));
  }

  @Test
  void json_matchesGoldenFile() throws IOException {
    assertThat(REPORT.toJson()).isEqualTo(golden("report.json"));
  }

  @Test
  void theWaitsAcrossEndpoints_areTheTablesSecondLine_andTopWaitsInTheJson() {
    Report withWaits = new TakenReport(REPORT.start(), REPORT.end(), REPORT.totalRequests(), REPORT.endpointCount(), REPORT.endpoints(),
        REPORT.peakInFlight(), REPORT.stillRunningCount(), REPORT.stillRunning(), REPORT.workers(), REPORT.queue(),
        List.of(new EndpointReport.Site("waiting for a database connection from HikariPool-1 (2 of 2 in use, 18 waiting)", 62, 0.705),
            new EndpointReport.Site("running on the CPU", 26, 0.295)));
    assertThat(withWaits.toString().lines().skip(1).findFirst()).hasValue(
        "slow requests waited, all endpoints: 71% waiting for a database connection from HikariPool-1 (2 of 2 in use, 18 waiting);"
            + " 30% running on the CPU");
    assertThat(withWaits.toJson()).contains(",\"peak_in_flight\":19,\"top_waits\":[{\"wait\":\"waiting for a database connection from"
        + " HikariPool-1 (2 of 2 in use, 18 waiting)\",\"samples\":62,\"share\":0.705},{\"wait\":\"running on the CPU\",\"samples\":26,"
        + "\"share\":0.295}],\"endpoints\":[");
  }
}
