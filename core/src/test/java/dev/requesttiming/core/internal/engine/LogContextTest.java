package dev.requesttiming.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Trace ids are kept as the MDC has them and made safe where they are printed. */
class LogContextTest {

  private final LogContext context = new LogContext(List.of("traceId", "spanId"));

  @AfterEach
  void clearMdc() {
    MDC.clear();
  }

  @Test
  void aValueWithALineBreakOrTooLong_isEscapedAndCutWhereverItIsPrinted() {
    MDC.put("traceId", "abc\nWARN forged line");
    MDC.put("spanId", "x".repeat(200));
    String[] values = context.capture();

    assertThat(context.first(values)).isEqualTo("abc\\x0aWARN forged line");
    assertThat(context.text(values)).doesNotContain("\n").contains(" traceId=abc\\x0aWARN forged line", " spanId=xxx");
    assertThat(context.text(values)).hasSizeLessThan(120);
  }

  @Test
  void noValues_printNothing() {
    assertThat(context.capture()).isNull();
    assertThat(context.text(null)).isEmpty();
    assertThat(context.first(null)).isNull();
  }
}
