package io.touchpoint.bench.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchJob;
import io.touchpoint.batch.BatchSession;
import io.touchpoint.batch.Lake;
import io.touchpoint.batch.steps.AttributeStep;
import io.touchpoint.batch.steps.WalkLayout;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Spark's side of the benchmark: makes the generated Parquet folders Delta tables (in place: the
 * data files stay the ones DuckDB and chDB read), runs the production attribute step on them and,
 * optionally, the comparable computation in Spark SQL.
 */
final class SparkEngine {
  private final SparkSession spark;
  private final StageTimes stages = new StageTimes();

  SparkEngine(String master) {
    // the batch job's own session settings (batch.conf), as ./touchpoint batch creates them
    this.spark = BatchSession.create(BatchConfig.load(), master, Map.of());
    spark.sparkContext().addSparkListener(stages);
  }

  SparkSession session() {
    return spark;
  }

  StageTimes stages() {
    return stages;
  }

  /**
   * The silver folders become Delta tables in place: only a log is written, the Parquet files stay.
   */
  static void convertToDelta(Path lake) throws IOException {
    DeltaLog.create(Path.of(DayGenerator.touchesDir(lake)), WalkLayout.SILVER_TOUCHPOINTS);
    DeltaLog.create(Path.of(DayGenerator.appEventsDir(lake)), ContractSchemas.APP_EVENTS);
  }

  /** Runs the production attribute step for {@code day}; returns its wall seconds. */
  double attribute(Path lake, LocalDate day, PrintStream out) {
    BatchConfig config = BatchConfig.load().withLake(lake.toString()).withRulesFile("");
    BatchContext ctx = BatchJob.context(spark, config, out);
    stages.reset();
    long t0 = System.nanoTime();
    AttributeStep.run(ctx, day);
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * The step's answers (install -> winning touch id, null when none) as Parquet; outcome counts.
   */
  Map<String, Long> exportAnswers(Path lake, LocalDate day, Path answers) {
    Dataset<Row> verdicts =
        new Lake(spark, lake.toString()).read(LakeTables.SILVER_ATTRIBUTIONS).where(Lake.day(day));
    verdicts
        .select(col("candidate_event_id").as("install_id"), col("touch_event_id").as("touch_id"))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(answers.toString());
    Map<String, Long> outcomes = new LinkedHashMap<>();
    for (Row r :
        verdicts.groupBy("kind", "outcome").count().orderBy("kind", "outcome").collectAsList()) {
      outcomes.put(r.getString(0) + "/" + r.getString(1), r.getLong(2));
    }
    return outcomes;
  }

  /**
   * The comparable computation in Spark SQL: installs and touches of a device in one time order (an
   * install before a touch of the same instant, so that touch does not count), the latest click and
   * impression so far carried forward, kept when inside their windows. Returns seconds.
   */
  double sqlAsof(Path lake, LocalDate day, Windows windows, Path answers) {
    long t0 = System.nanoTime();
    Lake l = new Lake(spark, lake.toString());
    Dataset<Row> installs =
        l.read(LakeTables.SILVER_APP_EVENTS)
            .where(Lake.day(day))
            .where(col("event_type").equalTo("install"))
            .select(
                col("app_id"),
                col("device_advertising_id").as("dev"),
                col("event_time").as("t"),
                lit(0).as("ord"),
                col("event_id").as("id"),
                lit(null).cast("string").as("kind"));
    LocalDate from = day.minusDays(windows.click().toDays());
    Dataset<Row> touches =
        l.read(LakeTables.SILVER_TOUCHPOINTS)
            .where(Lake.daysBetween(from, day))
            .select(
                col("app_id"),
                col("device_advertising_id").as("dev"),
                col("event_time").as("t"),
                lit(1).as("ord"),
                col("event_id").as("id"),
                col("event_type").as("kind"));
    WindowSpec upToHere =
        Window.partitionBy("app_id", "dev")
            .orderBy("t", "ord")
            .rowsBetween(Window.unboundedPreceding(), Window.currentRow());
    Column isClick = col("kind").equalTo("click");
    Column isImpression = col("kind").equalTo("impression");
    installs
        .unionByName(touches)
        .withColumn("click_t", last(when(isClick, col("t")), true).over(upToHere))
        .withColumn("click_id", last(when(isClick, col("id")), true).over(upToHere))
        .withColumn("imp_t", last(when(isImpression, col("t")), true).over(upToHere))
        .withColumn("imp_id", last(when(isImpression, col("id")), true).over(upToHere))
        .where(col("ord").equalTo(0))
        .select(
            col("id").as("install_id"),
            when(
                    col("click_t")
                        .geq(
                            col("t")
                                .minus(
                                    expr("INTERVAL " + windows.click().toSeconds() + " SECONDS"))),
                    col("click_id"))
                .when(
                    col("imp_t")
                        .geq(
                            col("t")
                                .minus(
                                    expr("INTERVAL " + windows.view().toSeconds() + " SECONDS"))),
                    col("imp_id"))
                .as("touch_id"))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(answers.toString());
    return (System.nanoTime() - t0) / 1e9;
  }

  void stop() {
    spark.stop();
  }
}
