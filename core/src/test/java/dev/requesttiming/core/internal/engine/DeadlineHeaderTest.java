package dev.requesttiming.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeadlineHeaderTest {

  private final DeadlineHeader millis = new DeadlineHeader("X-Request-Timeout-Ms");
  private final DeadlineHeader grpc = new DeadlineHeader("grpc-timeout");

  @ParameterizedTest
  @CsvSource({"2500,2500", "' 15000 ',15000", "2.5s,2500", "1500ms,1500", "PT2S,2000", "86400000,86400000"})
  void millisecondsOrDurations_areRead(String value, long expectedMillis) {
    assertThat(millis.nanos(value)).isEqualTo(expectedMillis * 1_000_000L);
  }

  @ParameterizedTest
  @CsvSource({"2S,2000000000", "500m,500000000", "1M,60000000000", "1H,3600000000000", "250u,250000", "99999999n,99999999"})
  void grpcTimeouts_areRead(String value, long expectedNanos) {
    assertThat(grpc.nanos(value)).isEqualTo(expectedNanos);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "-5", "0", "86400001", "99999999999999999999", "1.5", "2 apples", "\u0000", "1e9"})
  void badMillisValues_areIgnored(String value) {
    assertThat(millis.nanos(value)).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2", "S", "2s", "123456789S", "99999999H", "-2S", "0S", "2X"})
  void badGrpcValues_areIgnored(String value) {
    assertThat(grpc.nanos(value)).isEqualTo(Long.MAX_VALUE);
  }
}
