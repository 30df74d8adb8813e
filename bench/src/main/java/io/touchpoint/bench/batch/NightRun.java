package io.touchpoint.bench.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchJob;
import io.touchpoint.batch.BatchSession;
import io.touchpoint.batch.steps.AggregateStep;
import io.touchpoint.batch.steps.AttributeStep;
import io.touchpoint.batch.steps.CompactStep;
import io.touchpoint.batch.steps.ExportStep;
import io.touchpoint.batch.steps.ReconcileStep;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The whole night on the benchmark's day, in a JVM of its own (started by {@link SparkProcess}):
 * bronze tables over the generated files (the day's touches and installs as the collector wrote
 * them), then compact, attribute, aggregate, export and reconcile of the day, each step timed, in
 * one Spark session as {@code ./touchpoint batch} runs them. Prints the step times as one {@value
 * SparkRun#RESULT} JSON line last. The bench lake has no speed layer: reconcile compares with an
 * empty speed table.
 *
 * <p>Arguments: {@code <lake> <date> <master>}.
 */
public final class NightRun {
  private NightRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: NightRun <lake> <date> <master>");
      System.exit(2);
    }
    Path lake = Path.of(args[0]);
    LocalDate day = LocalDate.parse(args[1]);
    DeltaLog.create(
        Path.of(LakeTables.path(lake.toString(), LakeTables.BRONZE_TOUCHPOINTS)),
        Path.of(DayGenerator.touchesDir(lake)),
        ContractSchemas.TOUCHPOINTS);
    DeltaLog.create(
        Path.of(LakeTables.path(lake.toString(), LakeTables.BRONZE_APP_EVENTS)),
        Path.of(DayGenerator.appEventsDir(lake)),
        ContractSchemas.APP_EVENTS);
    long t0 = System.nanoTime();
    BatchConfig config = BatchConfig.load().withLake(lake.toString()).withRulesFile("");
    SparkSession spark = BatchSession.create(config, args[2], Map.of());
    Map<String, Object> f = new LinkedHashMap<>();
    try {
      BatchContext ctx = BatchJob.context(spark, config, System.out);
      f.put("session_seconds", seconds(t0));
      long started = System.nanoTime();
      t0 = System.nanoTime();
      CompactStep.run(ctx, day);
      f.put("compact_seconds", seconds(t0));
      t0 = System.nanoTime();
      AttributeStep.run(ctx, day);
      f.put("attribute_seconds", seconds(t0));
      t0 = System.nanoTime();
      AggregateStep.run(ctx, day);
      f.put("aggregate_seconds", seconds(t0));
      t0 = System.nanoTime();
      ExportStep.run(ctx, day);
      f.put("export_seconds", seconds(t0));
      t0 = System.nanoTime();
      ReconcileStep.run(ctx, day);
      f.put("reconcile_seconds", seconds(t0));
      f.put("night_seconds", seconds(started));
      System.out.println(SparkRun.RESULT + new ObjectMapper().writeValueAsString(f));
      System.out.flush();
    } finally {
      spark.stop();
    }
    System.exit(0);
  }

  private static double seconds(long t0) {
    return BatchBenchmark.round((System.nanoTime() - t0) / 1e9);
  }
}
