package io.touchpoint.bench.batch;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.bench.batch.BatchBenchSettings.Volume;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One benchmark run: for each volume, generate the day, make it Delta, then on the same files run
 * DuckDB's ASOF JOIN (in this JVM), chDB's (a Python process), the production Spark attribute step
 * and (optionally) the same computation in Spark SQL (a JVM of its own, {@link SparkRun}), one
 * after the other so no two engines hold memory at once, and compare every engine's answers with
 * DuckDB's.
 */
public final class BatchBenchmark {
  private final BatchBenchSettings settings;
  private final PrintStream out;
  private final boolean night;

  /**
   * @param night also run the whole night (compact .. reconcile) on the largest point's day, after
   *     its engines are compared
   */
  public BatchBenchmark(BatchBenchSettings settings, PrintStream out, boolean night) {
    this.settings = settings;
    this.out = out;
    this.night = night;
  }

  public BatchBenchmark(BatchBenchSettings settings, PrintStream out) {
    this(settings, out, false);
  }

  /** What one volume measured; {@code answers} is where each engine's answer file is. */
  public record Point(
      Volume volume,
      Map<String, Object> figures,
      boolean sameAnswers,
      Map<String, Path> answers,
      Path lake) {
    double seconds(String engine) {
      return ((Number) figures.get(engine + "_seconds")).doubleValue();
    }
  }

  /** Called after each point with every point so far (the command rewrites the results file). */
  public interface Progress {
    void done(List<Point> soFar) throws IOException;
  }

  /**
   * Hook between generating a point's files and converting them to Delta (tests add hand-placed
   * rows).
   */
  public interface Extra {
    void add(DuckDbEngine duck, Path lake) throws SQLException;
  }

  public List<Point> run(List<Volume> volumes, boolean keepData, Extra extra, Progress progress)
      throws Exception {
    Files.createDirectories(settings.workDir());
    Windows windows = Windows.defaults();
    ChdbEngine chdb =
        ChdbEngine.prepare(
            settings.workDir(), settings.chdbThreads(), settings.chdbMaxMemoryUsage());
    SparkProcess spark =
        new SparkProcess(settings.sparkMaster(), settings.sparkHeap(), settings.sparkJavaOptions());
    List<Point> points = new ArrayList<>();
    Volume largest = volumes.stream().max(Comparator.comparingLong(Volume::touches)).orElseThrow();
    for (Volume v : volumes) {
      Point p = point(v, windows, chdb, spark, extra);
      if (night && v == largest) {
        p.figures().put("night", night(v, p.lake(), spark));
      }
      points.add(p);
      if (progress != null) {
        progress.done(points);
      }
      if (!keepData) {
        deleteTree(points.get(points.size() - 1).lake());
      }
    }
    return points;
  }

  /** The whole night on the point's day: each step's seconds (see {@link NightRun}). */
  private Map<String, Object> night(Volume v, Path lake, SparkProcess spark) throws Exception {
    String tag = "bench batch " + v.label() + " night";
    Map<String, Object> steps = spark.night(lake, settings.date(), out);
    progress(
        tag,
        "compact %s s, attribute %s s, aggregate %s s, export %s s, reconcile %s s: %s s",
        steps.get("compact_seconds"),
        steps.get("attribute_seconds"),
        steps.get("aggregate_seconds"),
        steps.get("export_seconds"),
        steps.get("reconcile_seconds"),
        steps.get("night_seconds"));
    return steps;
  }

  /**
   * DuckDB in this JVM, closed after each phase so its memory is given back before chDB's and
   * Spark's processes run.
   */
  private DuckDbEngine duck() throws SQLException {
    return new DuckDbEngine(
        settings.duckdbThreads(),
        settings.duckdbMemoryLimit(),
        settings.workDir().resolve("duckdb-tmp"));
  }

  private Point point(Volume v, Windows windows, ChdbEngine chdb, SparkProcess spark, Extra extra)
      throws Exception {
    String tag = "bench batch " + v.label();
    Path dir = settings.workDir().resolve(v.label());
    deleteTree(dir);
    Path lake = dir.resolve("lake");
    Path answers = dir.resolve("answers");
    Files.createDirectories(answers);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("multiple", v.multiple());
    f.put("touches", v.touches());
    f.put("installs", v.installs());

    Map<String, Path> files = new LinkedHashMap<>();
    files.put("duckdb", answers.resolve("duckdb.parquet"));
    double duckSeconds;
    try (DuckDbEngine duck = duck()) {
      long t0 = System.nanoTime();
      DayGenerator.generate(
          duck.connection(), lake, v, settings.date(), settings.seed(), settings.shape());
      if (extra != null) {
        extra.add(duck, lake);
      }
      double generate = since(t0);
      t0 = System.nanoTime();
      int buckets = BatchConfig.load(Map.of("lake", lake.toString())).walkBuckets();
      int laidOut = DayGenerator.layOut(duck.connection(), lake, buckets);
      double layOut = since(t0);
      f.put("walk_buckets", buckets);
      f.put("layout_seconds", round(layOut));
      progress(
          tag,
          "touches laid out as compaction writes them: %d files of %d walk-key buckets in %.1f s",
          laidOut,
          buckets,
          layOut);
      FileStats touchFiles = FileStats.of(Path.of(DayGenerator.touchesDir(lake)));
      FileStats appFiles = FileStats.of(Path.of(DayGenerator.appEventsDir(lake)));
      f.put("generate_seconds", round(generate));
      f.put("touch_files", touchFiles.files());
      f.put("touch_mb", touchFiles.bytes() / 1_000_000);
      f.put("install_files", appFiles.files());
      f.put("install_mb", appFiles.bytes() / 1_000_000);
      progress(
          tag,
          "generated %,d touches (%d files, %d MB) and %,d installs (%d files, %d MB) in %.1f s",
          v.touches(),
          touchFiles.files(),
          touchFiles.bytes() / 1_000_000,
          v.installs(),
          appFiles.files(),
          appFiles.bytes() / 1_000_000,
          generate);

      t0 = System.nanoTime();
      SparkEngine.convertToDelta(lake);
      progress(tag, "silver Delta tables over the same files in %.1f s", since(t0));

      duckSeconds = duck.asof(lake, windows, files.get("duckdb"));
    }
    f.put("duckdb_seconds", round(duckSeconds));
    progress(tag, "duckdb ASOF JOIN in %.1f s", duckSeconds);

    files.put("clickhouse", answers.resolve("clickhouse.parquet"));
    ChdbEngine.Run ch = chdb.asof(lake, windows, files.get("clickhouse"));
    f.put("clickhouse_seconds", round(ch.seconds()));
    f.put("clickhouse_process_seconds", round(ch.processSeconds()));
    f.put("chdb_version", ch.version());
    progress(
        tag,
        "clickhouse engine (chDB %s) ASOF JOIN in %.1f s (%.1f s with interpreter start)",
        ch.version(),
        ch.seconds(),
        ch.processSeconds());

    Map<String, Object> sparkFigures =
        spark.attribute(lake, settings.date(), answers, settings.sparkSqlAsof(), out);
    f.putAll(sparkFigures);
    double sparkSeconds = ((Number) sparkFigures.get("spark_seconds")).doubleValue();
    files.put("spark", answers.resolve("spark"));
    if (settings.sparkSqlAsof()) {
      files.put("spark_sql", answers.resolve("spark_sql"));
    }

    f.put("ratio_vs_duckdb", round(sparkSeconds / duckSeconds));
    f.put("clickhouse_ratio_vs_duckdb", round(ch.seconds() / duckSeconds));
    boolean same = true;
    Map<String, Object> answerSummaries = new LinkedHashMap<>();
    Map<String, Object> differences = new LinkedHashMap<>();
    try (DuckDbEngine duck = duck()) {
      for (Map.Entry<String, Path> e : files.entrySet()) {
        answerSummaries.put(e.getKey(), Answers.summary(duck, e.getValue()).toMap());
        if (!e.getKey().equals("duckdb")) {
          boolean s = Answers.same(duck, files.get("duckdb"), e.getValue());
          differences.put(
              e.getKey() + "_vs_duckdb",
              Answers.differences(duck, files.get("duckdb"), e.getValue()));
          same &= s;
        }
      }
    }
    f.put("answers", answerSummaries);
    f.put("differing_installs", differences);
    f.put("same_answers", same);
    progress(
        tag,
        "answers %s across %s; ratio spark/duckdb %.2f",
        same ? "IDENTICAL" : "DIFFER " + differences,
        String.join(", ", files.keySet()),
        sparkSeconds / duckSeconds);
    return new Point(v, f, same, files, lake);
  }

  private void progress(String tag, String format, Object... args) {
    out.println(tag + ": " + String.format(format, args));
    out.flush();
  }

  static double since(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  static double round(double x) {
    return Math.round(x * 100) / 100.0;
  }

  /** Files and bytes of the Parquet data under a table folder. */
  record FileStats(long files, long bytes) {
    static FileStats of(Path dir) throws IOException {
      try (Stream<Path> s = Files.walk(dir)) {
        List<Path> parquet = s.filter(p -> p.toString().endsWith(".parquet")).toList();
        long bytes = 0;
        for (Path p : parquet) {
          bytes += Files.size(p);
        }
        return new FileStats(parquet.size(), bytes);
      }
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
