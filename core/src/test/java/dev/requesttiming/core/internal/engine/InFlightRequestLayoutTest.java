package dev.requesttiming.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * A request allocates one object, and it stays within 64 bytes (HotSpot's 12-byte header with
 * compressed class pointers, 4-byte references, 8-byte alignment): a field more belongs in what the
 * watchdog keeps of a slow request, not in every request.
 */
class InFlightRequestLayoutTest {

  @Test
  void theOneObjectARequestAllocates_fitsIn64Bytes() {
    assertThat(shallowSize(InFlightRequest.class)).isLessThanOrEqualTo(64);
  }

  @Test
  void theEstimate_countsEveryField() {
    record Two(long a, int b) {}
    record Five(Object a, Object b, Object c, long d, int e) {}
    assertThat(shallowSize(Two.class)).isEqualTo(24); // 12 + 8 + 4
    assertThat(shallowSize(Five.class)).isEqualTo(40); // 12 + 3 × 4 + 8 + 4 = 36, aligned
  }

  private static int shallowSize(Class<?> type) {
    int bytes = 12;
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          bytes += sizeOf(field.getType());
        }
      }
    }
    return (bytes + 7) / 8 * 8;
  }

  private static int sizeOf(Class<?> type) {
    if (type == long.class || type == double.class) {
      return 8;
    }
    if (type == short.class || type == char.class) {
      return 2;
    }
    if (type == byte.class || type == boolean.class) {
      return 1;
    }
    return 4; // int, float, and a compressed reference
  }
}
