package io.touchpoint.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;

/** The random draws the simulator needs, all from an explicit stream so they are reproducible. */
public final class Draws {
  private Draws() {}

  public static boolean chance(SplittableRandom r, double p) {
    return r.nextDouble() < p;
  }

  public static <T> T pick(SplittableRandom r, List<T> items) {
    return items.get(r.nextInt(items.size()));
  }

  /** Index drawn with the given (non-negative, not all zero) weights. */
  public static int weighted(SplittableRandom r, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Poisson count (Knuth for small means, normal approximation for large ones). */
  public static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 40) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(r)));
    }
    double limit = Math.exp(-mean);
    double p = 1;
    int k = 0;
    do {
      k++;
      p *= r.nextDouble();
    } while (p > limit);
    return k - 1;
  }

  public static double gaussian(SplittableRandom r) {
    // Box-Muller; one value per call keeps the number of draws per call fixed (2).
    double u1 = 1.0 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** Log-normal duration with the given median and sigma, clamped to [min, max]. */
  public static Duration logNormal(
      SplittableRandom r, Duration median, double sigma, Duration min, Duration max) {
    double millis = median.toMillis() * Math.exp(sigma * gaussian(r));
    long clamped = (long) Math.max(min.toMillis(), Math.min(max.toMillis(), millis));
    return Duration.ofMillis(clamped);
  }

  /** Uniform duration in [min, max], millisecond precision. */
  public static Duration between(SplittableRandom r, Duration min, Duration max) {
    long lo = min.toMillis();
    long hi = max.toMillis();
    return Duration.ofMillis(hi <= lo ? lo : lo + r.nextLong(hi - lo + 1));
  }

  /** Log-uniform duration in [min, max]: as many hours-late as days-late events. */
  public static Duration logUniform(SplittableRandom r, Duration min, Duration max) {
    double lo = Math.log(min.toMillis());
    double hi = Math.log(max.toMillis());
    return Duration.ofMillis((long) Math.exp(lo + r.nextDouble() * (hi - lo)));
  }

  /** Uniform instant in [from, to), millisecond precision. */
  public static Instant instant(SplittableRandom r, Instant from, Instant to) {
    long span = to.toEpochMilli() - from.toEpochMilli();
    return Instant.ofEpochMilli(from.toEpochMilli() + (span <= 0 ? 0 : r.nextLong(span)));
  }

  /** A random (version 4) UUID string from this stream. */
  public static String uuid(SplittableRandom r) {
    long hi = (r.nextLong() & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo).toString();
  }
}
