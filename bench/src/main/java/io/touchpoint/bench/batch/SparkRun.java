package io.touchpoint.bench.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spark side of one benchmark point, in a JVM of its own (started by {@link SparkProcess} after
 * DuckDB and chDB have finished and given their memory back): the production attribute step, its
 * answers, optionally the Spark SQL version of the comparable computation. Prints its figures as
 * one {@value #RESULT} JSON line last.
 *
 * <p>Arguments: {@code <lake> <date> <answers-dir> <master> <sql-asof true|false>}.
 */
public final class SparkRun {
  static final String RESULT = "spark-run-result ";

  /** Stage rows kept per point in the results (the Spark UI's longest stages). */
  private static final int STAGES_KEPT = 8;

  private SparkRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println("usage: SparkRun <lake> <date> <answers-dir> <master> <sql-asof>");
      System.exit(2);
    }
    Path lake = Path.of(args[0]);
    LocalDate day = LocalDate.parse(args[1]);
    Path answers = Path.of(args[2]);
    boolean sqlAsof = Boolean.parseBoolean(args[4]);
    Map<String, Object> f = new LinkedHashMap<>();
    SparkEngine spark = new SparkEngine(args[3]);
    try {
      double seconds = spark.attribute(lake, day, System.out);
      f.put("spark_seconds", BatchBenchmark.round(seconds));
      f.put("spark_stages", spark.stages().count());
      f.put("spark_executor_run_seconds", BatchBenchmark.round(spark.stages().totalRunMs() / 1e3));
      f.put("spark_gc_seconds", BatchBenchmark.round(spark.stages().totalGcMs() / 1e3));
      f.put("spark_longest_stages", spark.stages().longest(STAGES_KEPT));
      System.out.printf(
          "spark attribute step in %.1f s (%d stages, executor time %.0f s, GC %.0f s)%n",
          seconds,
          spark.stages().count(),
          spark.stages().totalRunMs() / 1e3,
          spark.stages().totalGcMs() / 1e3);
      f.put("spark_verdicts", spark.exportAnswers(lake, day, answers.resolve("spark")));
      if (sqlAsof) {
        double sql = spark.sqlAsof(lake, day, Windows.defaults(), answers.resolve("spark_sql"));
        f.put("spark_sql_seconds", BatchBenchmark.round(sql));
        System.out.printf(
            "spark SQL (same computation, window over device timelines) in %.1f s%n", sql);
      }
      System.out.println(RESULT + new ObjectMapper().writeValueAsString(f));
      System.out.flush();
    } finally {
      spark.stop();
    }
    System.exit(0);
  }
}
