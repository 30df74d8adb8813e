package io.touchpoint.bench.batch;

import io.touchpoint.bench.batch.BatchBenchSettings.Volume;
import io.touchpoint.local.StackConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint bench batch}: the batch layer's attribute step against DuckDB and the
 * ClickHouse engine on the same generated day, at each volume of the scaling curve; writes {@code
 * bench/results/batch-<date>.json}.
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    header = "Spark attribute step vs DuckDB vs the ClickHouse engine, then the whole night.",
    description = {
      "Spark attribute step vs DuckDB vs the ClickHouse engine (chDB) on the same",
      "generated day, answers compared install by install, at 1x, 2x, 4x, 8x volume",
      "(8x = the headline day: 50 M touches, 5 M installs); then the whole night",
      "(compact .. reconcile, each step timed) on the largest point's day.",
      "Writes bench/results/batch-<date>.json. Settings: bench-batch.conf (bench/src/main/",
      "resources; environment overrides named there). DuckDB runs in this JVM, chDB and",
      "Spark in processes of their own, one after the other; Spark's heap: spark.heap",
      "(TOUCHPOINT_BENCH_SPARK_HEAP, default 8g)."
    })
public final class BatchBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--scale",
      defaultValue = "1.0",
      paramLabel = "FRACTION",
      description =
          "Fraction of the headline volume for the whole curve (default ${DEFAULT-VALUE}: the full run).")
  double scale;

  @Option(
      names = "--points",
      split = ",",
      paramLabel = "N",
      description =
          "Curve points to run, as multiples of 1x (default: every configured point, 1,2,4,8).")
  List<Integer> points;

  @Option(
      names = "--no-spark-sql",
      description = "Skip the Spark SQL version of the comparable computation.")
  boolean noSparkSql;

  @Option(
      names = "--no-night",
      description =
          "Skip the whole night (compact, attribute, aggregate, export, reconcile) on the largest point's day.")
  boolean noNight;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where the generated data goes (default from bench-batch.conf).")
  Path workDir;

  @Option(
      names = "--keep-data",
      description = "Keep each point's generated lake (default: deleted after the point).")
  boolean keepData;

  @Option(
      names = "--results",
      paramLabel = "DIR",
      description = "Results folder (default: bench/results of the repository).")
  Path resultsDir;

  @Override
  public Integer call() throws Exception {
    Path root = StackConfig.findRepoRoot();
    BatchBenchSettings settings = BatchBenchSettings.load(root);
    if (workDir != null) {
      settings = settings.withWorkDir(workDir.toAbsolutePath());
    }
    if (noSparkSql) {
      settings = settings.withSparkSqlAsof(false);
    }
    if (!(scale > 0 && scale <= 1)) {
      throw new ParameterException(spec.commandLine(), "--scale must be in (0, 1], got " + scale);
    }
    List<Integer> chosen = points == null ? settings.points() : points;
    List<Volume> volumes = new ArrayList<>();
    for (int p : chosen) {
      if (p < 1) {
        throw new ParameterException(
            spec.commandLine(), "--points wants positive multiples, got " + p);
      }
      Volume v = settings.volume(p, scale);
      if (v.installs() < 1 || v.touches() < 1) {
        throw new ParameterException(
            spec.commandLine(), "point " + p + "x at --scale " + scale + " has no rows");
      }
      volumes.add(v);
    }
    var out = spec.commandLine().getOut();
    out.printf(
        "bench batch: %d point(s) %s at scale %s; work dir %s%n",
        volumes.size(), chosen, scale, settings.workDir());
    out.flush();
    Path dir = resultsDir != null ? resultsDir : root.resolve("bench/results");
    BatchBenchSettings s = settings;
    // the results file is rewritten after every point: a long run that is stopped keeps what it
    // measured
    List<BatchBenchmark.Point> results =
        new BatchBenchmark(settings, System.out, !noNight)
            .run(volumes, keepData, null, soFar -> ResultsFile.write(dir, s, scale, soFar));
    Path file = ResultsFile.write(dir, settings, scale, results);
    BatchBenchmark.Point headline = results.get(results.size() - 1);
    out.printf(
        "bench batch: %s: spark %.1f s, duckdb %.1f s, clickhouse %.1f s, ratio %.2f, same answers %s -> %s%n",
        headline.volume().label(),
        headline.seconds("spark"),
        headline.seconds("duckdb"),
        headline.seconds("clickhouse"),
        headline.seconds("spark") / headline.seconds("duckdb"),
        results.stream().allMatch(BatchBenchmark.Point::sameAnswers),
        file);
    return results.stream().allMatch(BatchBenchmark.Point::sameAnswers)
        ? CommandLine.ExitCode.OK
        : 1;
  }
}
