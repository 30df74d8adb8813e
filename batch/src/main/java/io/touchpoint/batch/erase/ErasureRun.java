package io.touchpoint.batch.erase;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchJob;
import io.touchpoint.batch.Step;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.EnumSet;
import org.apache.spark.sql.SparkSession;

/**
 * One erasure request on the lake: the device's rows out of every table ({@link DeviceErasure}),
 * the batch recomputed for the days they fell on (gold and its exports), and, if asked, VACUUM of
 * the erased tables. What {@code ./touchpoint erase} and the EMR step ({@link EraseJob}) both run;
 * reloading serving is the caller's.
 */
public final class ErasureRun {
  private ErasureRun() {}

  public static DeviceErasure.Report run(
      SparkSession spark,
      BatchConfig config,
      String app,
      String device,
      Double vacuumRetainHours,
      PrintStream out) {
    long t0 = System.nanoTime();
    DeviceErasure erasure = new DeviceErasure(spark, config.lake(), out);
    DeviceErasure.Report report = erasure.erase(app, device);
    out.printf(
        "erase: request %s: %d rows in %s; days to recompute %s (%.1f s)%n",
        report.requestId(),
        report.total(),
        config.lake(),
        report.days(),
        (System.nanoTime() - t0) / 1e9);
    for (LocalDate day : report.days()) {
      BatchJob.run(spark, config, day, day, EnumSet.allOf(Step.class), out);
    }
    if (vacuumRetainHours != null) {
      erasure.vacuum(vacuumRetainHours);
    }
    return report;
  }
}
