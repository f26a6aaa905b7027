package dev.requesttiming.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The forms proxies stamp a request's arrival in, told apart by magnitude. */
class RequestStartHeaderTest {

  private static final long NOW_MICROS = 1_733_212_347_123_456L;

  @ParameterizedTest
  @CsvSource({
    "t=1733212345.123, 1733212345123000", // nginx ${msec}: seconds
    "1733212345.123456, 1733212345123456",
    "t=1733212345, 1733212345000000",
    "1733212345123, 1733212345123000", // Heroku: milliseconds
    "t=1733212345123456, 1733212345123456", // HAProxy: microseconds
    "1733212345123456789, 1733212345123456", // Render: nanoseconds
    "' t=1733212345.1 ', 1733212345100000"
  })
  void stamps_readInEveryProxysForm(String header, long micros) {
    assertThat(RequestStartHeader.epochMicros(header)).isEqualTo(micros);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "t=", "soon", "t=17332x12345", "1733212345.12.3", "-1733212345", "99999999999999999999", "t=1.2e9"})
  void garbage_isUnusable(String header) {
    assertThat(RequestStartHeader.epochMicros(header)).isEqualTo(RequestStartHeader.UNUSABLE);
  }

  @Test
  void queue_isTheTimeSinceTheStamp_aFutureStampIsNoWait_andAnAncientOneUnusable() {
    assertThat(RequestStartHeader.queueNanos("t=1733212345.123", NOW_MICROS)).isEqualTo(2_000_456_000L);
    assertThat(RequestStartHeader.queueNanos("t=1733212350.000", NOW_MICROS)).as("clock skew").isZero();
    assertThat(RequestStartHeader.queueNanos("t=1733211000.000", NOW_MICROS)).as("22 minutes").isEqualTo(RequestStartHeader.UNUSABLE);
    assertThat(RequestStartHeader.queueNanos(null, NOW_MICROS)).isEqualTo(RequestStartHeader.UNUSABLE);
  }
}
