package dev.requesttiming.core.internal.stats;

/**
 * Log-linear buckets for latencies in microseconds: values below 64 µs each have their own bucket;
 * above, every power of two is split into 64 equal buckets, up to 2^32 µs (about 71 minutes), and one
 * last bucket holds everything longer. A bucket's midpoint is within 0.8 % of any value in it, so
 * percentiles read from the buckets are within 1 % of the exact ones.
 */
final class LatencyBuckets {

  private static final int SUB_BITS = 6;
  private static final int SUB = 1 << SUB_BITS; // 64
  private static final int MAX_EXPONENT = 31; // values up to 2^32 - 1 µs
  /** The overflow bucket: values of 2^32 µs and more. */
  static final int OVERFLOW = SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB;
  /** How many buckets there are, the overflow one included. */
  static final int COUNT = OVERFLOW + 1;

  private LatencyBuckets() {}

  /** The bucket of a value in microseconds; negative values count as 0. */
  static int index(long micros) {
    if (micros < SUB) {
      return micros < 0 ? 0 : (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros);
    if (exponent > MAX_EXPONENT) {
      return OVERFLOW;
    }
    int shift = exponent - SUB_BITS;
    return SUB + shift * SUB + (int) ((micros >>> shift) & (SUB - 1));
  }

  /** The value a bucket stands for, in microseconds: its midpoint (its value below 64 µs). */
  static long value(int index) {
    if (index < SUB) {
      return index;
    }
    if (index >= OVERFLOW) {
      return 1L << (MAX_EXPONENT + 1);
    }
    int shift = (index - SUB) / SUB;
    long lower = (long) (SUB + (index - SUB) % SUB) << shift;
    return lower + ((1L << shift) >> 1);
  }
}
