package io.touchpoint.simulator;

import java.util.SplittableRandom;

/**
 * Derives independent random streams from the run's seed. Every entity (a device, one device's
 * story for one app, one event's delivery) gets its own stream keyed by what it is, never by when
 * it is generated: so parallel generation, another output format or another rate cannot change a
 * single byte, and changing one share (late, duplicate, malformed) only changes the decisions that
 * share governs.
 */
public final class Seeds {
  /** What a stream is for; part of the key so two purposes never share draws. */
  public enum Purpose {
    WORLD,
    DEVICE,
    STORY,
    BACKGROUND,
    FLOOD_SPRAY,
    FLOOD_SLOTS,
    APP_LIFE,
    DELIVERY,
    MALFORMED
  }

  private Seeds() {}

  public static SplittableRandom rng(long seed, Purpose purpose, long... ids) {
    return new SplittableRandom(key(seed, purpose, ids));
  }

  public static long key(long seed, Purpose purpose, long... ids) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    h = mix(h + purpose.ordinal() + 1);
    for (long id : ids) {
      h = mix(h ^ mix(id + 0x632BE59BD9B4E019L));
    }
    return h;
  }

  /** SplitMix64's finalizer: a bijective, well-avalanched 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
