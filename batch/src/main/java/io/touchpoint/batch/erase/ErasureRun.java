package io.touchpoint.batch.erase;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchJob;
import io.touchpoint.batch.Step;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.function.Predicate;
import org.apache.spark.sql.SparkSession;

/**
 * One erasure request on the lake: the device's rows out of every table ({@link DeviceErasure}),
 * the batch recomputed for the days they fell on (gold and its exports), and, if asked, VACUUM of
 * the erased tables; then the caller publishes the days (serving reload, a report) and the request
 * is recorded complete. What {@code ./touchpoint erase} and the EMR step ({@link EraseJob}) both
 * run. Restartable: a run killed after the deletes leaves its days on record, and the next request
 * for the same device recomputes and publishes them as well.
 */
public final class ErasureRun {
  private ErasureRun() {}

  /**
   * @param publish hands the recomputed days on (reloads serving, writes a report); false when it
   *     failed: the request then stays unfinished, and the next one for the device redoes it
   */
  public static DeviceErasure.Report run(
      SparkSession spark,
      BatchConfig config,
      ErasureRequest request,
      PrintStream out,
      Predicate<DeviceErasure.Report> publish) {
    long t0 = System.nanoTime();
    DeviceErasure erasure = new DeviceErasure(spark, config.lake(), out);
    DeviceErasure.Report report = erasure.erase(request.app(), request.device());
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
    if (request.vacuumRetainHours() != null) {
      erasure.vacuum(request.vacuumRetainHours(), config.vacuumListingTasks());
    }
    if (publish.test(report)) {
      erasure.complete(report, request.app(), request.device());
    } else {
      out.printf(
          "erase: request %s stays unfinished: the next request for this device redoes its days%n",
          report.requestId());
    }
    return report;
  }
}
