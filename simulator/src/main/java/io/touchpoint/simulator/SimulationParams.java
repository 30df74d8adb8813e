package io.touchpoint.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What to simulate. Only these values shape the events: how they are written (format, rate,
 * destination) never does.
 *
 * @param seed the run's seed; same seed and parameters give byte-identical output
 * @param devices number of devices in the population
 * @param days number of reported UTC days, starting at {@code startDate}
 * @param startDate first reported day (UTC); fixed by default so runs are reproducible
 * @param malformedShare share of all records that are malformed payloads
 * @param lateShare share of valid events delivered hours to days after their event time
 * @param duplicateShare share of all records that are exact re-sends of an earlier record
 */
public record SimulationParams(
    long seed,
    int devices,
    int days,
    LocalDate startDate,
    double malformedShare,
    double lateShare,
    double duplicateShare) {

  public static final long DEFAULT_SEED = 42;
  public static final int DEFAULT_DEVICES = 10_000;
  public static final int DEFAULT_DAYS = 3;
  public static final LocalDate DEFAULT_START_DATE = LocalDate.of(2026, 1, 1);
  public static final double DEFAULT_MALFORMED_SHARE = 0.005;
  public static final double DEFAULT_LATE_SHARE = 0.02;
  public static final double DEFAULT_DUPLICATE_SHARE = 0.01;

  /** Device ids and IPs are derived bijectively from a 24-bit index. */
  public static final int MAX_DEVICES = 1 << 24;

  public SimulationParams {
    require(
        devices >= 1 && devices <= MAX_DEVICES,
        "--devices must be between 1 and " + MAX_DEVICES + ": " + devices);
    require(days >= 1 && days <= 366, "--days must be between 1 and 366: " + days);
    require(startDate != null, "--start-date is required");
    require(share(malformedShare), "--malformed-share must be in [0, 0.5]: " + malformedShare);
    require(share(lateShare), "--late-share must be in [0, 0.5]: " + lateShare);
    require(share(duplicateShare), "--duplicate-share must be in [0, 0.5]: " + duplicateShare);
  }

  public static SimulationParams defaults() {
    return new SimulationParams(
        DEFAULT_SEED,
        DEFAULT_DEVICES,
        DEFAULT_DAYS,
        DEFAULT_START_DATE,
        DEFAULT_MALFORMED_SHARE,
        DEFAULT_LATE_SHARE,
        DEFAULT_DUPLICATE_SHARE);
  }

  public SimulationParams withSeed(long newSeed) {
    return new SimulationParams(
        newSeed, devices, days, startDate, malformedShare, lateShare, duplicateShare);
  }

  public SimulationParams withSize(int newDevices, int newDays) {
    return new SimulationParams(
        seed, newDevices, newDays, startDate, malformedShare, lateShare, duplicateShare);
  }

  public SimulationParams withShares(double malformed, double late, double duplicate) {
    return new SimulationParams(seed, devices, days, startDate, malformed, late, duplicate);
  }

  /** First instant of the reported days. */
  public Instant spanStart() {
    return startDate.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** First instant after the reported days. */
  public Instant spanEnd() {
    return spanStart().plus(Duration.ofDays(days));
  }

  private static boolean share(double s) {
    return Double.isFinite(s) && s >= 0 && s <= 0.5;
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }
}
