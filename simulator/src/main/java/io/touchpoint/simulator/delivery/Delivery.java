package io.touchpoint.simulator.delivery;

import io.touchpoint.simulator.Draws;
import io.touchpoint.simulator.SimulationParams;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * When and how often each event reaches the collector. Every event consumes the same number of
 * draws whatever the shares, so changing one share changes only the decisions it governs.
 */
public final class Delivery {
  static final Duration LATE_MIN = Duration.ofHours(1);

  /** Well inside the validator's 30-day retention: late, never too old. */
  static final Duration LATE_MAX = Duration.ofDays(4);

  private final double lateShare;
  private final double duplicatePerEvent;
  private final double malformedPerEvent;

  /**
   * Per original event: d duplicates and m malformed siblings on average, so that over all records
   * the shares are the configured ones: d / (1 + d + m) = duplicateShare.
   */
  public Delivery(SimulationParams params) {
    double rest = 1 - params.duplicateShare() - params.malformedShare();
    this.lateShare = params.lateShare();
    this.duplicatePerEvent = params.duplicateShare() / rest;
    this.malformedPerEvent = params.malformedShare() / rest;
  }

  /** The delivery of one event. */
  public record Decision(
      Instant receivedAt,
      boolean late,
      Instant duplicateArrival,
      Instant malformedArrival,
      long malformedSeed) {}

  public Decision decide(SplittableRandom r, Instant eventTime, boolean fromNetwork) {
    boolean late = r.nextDouble() < lateShare;
    Duration lateBy = Draws.logUniform(r, LATE_MIN, LATE_MAX);
    Duration lag =
        fromNetwork
            ? Draws.logNormal(
                r, Duration.ofMillis(800), 1.0, Duration.ofMillis(50), Duration.ofMinutes(2))
            : Draws.logNormal(
                r, Duration.ofSeconds(2), 1.2, Duration.ofMillis(100), Duration.ofMinutes(10));
    boolean duplicate = r.nextDouble() < duplicatePerEvent;
    Duration retryAfter = Draws.logUniform(r, Duration.ofSeconds(1), Duration.ofHours(6));
    boolean malformed = r.nextDouble() < malformedPerEvent;
    Duration malformedAfter = Draws.between(r, Duration.ZERO, Duration.ofSeconds(5));
    long malformedSeed = r.nextLong();
    Instant receivedAt = eventTime.plus(late ? lateBy : lag);
    return new Decision(
        receivedAt,
        late,
        duplicate ? receivedAt.plus(retryAfter) : null,
        malformed ? receivedAt.plus(malformedAfter) : null,
        malformedSeed);
  }
}
