package io.touchpoint.bench.batch;

import io.touchpoint.bench.ResultsJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/results/batch-<date>.json: the headline figures, the scaling points, config and machine.
 */
final class ResultsFile {
  private ResultsFile() {}

  static Path write(Path dir, BatchBenchSettings s, double scale, List<BatchBenchmark.Point> points)
      throws IOException {
    BatchBenchmark.Point headline = points.get(points.size() - 1);
    Map<String, Object> r = ResultsJson.header("batch");
    r.put("headline_point", headline.volume().label());
    r.put("touches", headline.volume().touches());
    r.put("installs", headline.volume().installs());
    r.put("spark_seconds", headline.figures().get("spark_seconds"));
    r.put("duckdb_seconds", headline.figures().get("duckdb_seconds"));
    r.put("clickhouse_seconds", headline.figures().get("clickhouse_seconds"));
    r.put("spark_sql_seconds", headline.figures().get("spark_sql_seconds"));
    r.put("ratio_vs_duckdb", headline.figures().get("ratio_vs_duckdb"));
    r.put("same_answers", points.stream().allMatch(BatchBenchmark.Point::sameAnswers));
    // Spark's attribute step per million touches at each point (linear scaling: equal figures)
    Map<String, Object> perMillion = new LinkedHashMap<>();
    for (BatchBenchmark.Point p : points) {
      perMillion.put(
          p.volume().label(),
          BatchBenchmark.round(p.seconds("spark") / (p.volume().touches() / 1e6)));
    }
    r.put("spark_seconds_per_million_touches", perMillion);
    points.stream()
        .filter(p -> p.figures().containsKey("night"))
        .findFirst()
        .ifPresent(
            p -> {
              r.put("night_point", p.volume().label());
              r.put("night", p.figures().get("night"));
            });
    r.put("scaling", points.stream().map(BatchBenchmark.Point::figures).toList());

    Map<String, Object> config = new LinkedHashMap<>();
    config.put("scale", scale);
    config.put(
        "curve_1x",
        "headline / "
            + s.points().stream().mapToInt(Integer::intValue).max().orElse(1)
            + " (8x = "
            + s.headlineTouches()
            + " touches, "
            + s.headlineInstalls()
            + " installs)");
    config.put("day", s.date().toString());
    config.put("seed", s.seed());
    config.put("touch_span", "[D - 7 d, D + 1 d)");
    config.put("shape", s.shape().toString());
    config.put(
        "file_format",
        "Parquet (snappy) written by DuckDB, partitioned by event_date; a Delta log (version 0) written over the same files by DeltaLog");
    config.put("spark_master", s.sparkMaster());
    config.put(
        "spark_heap", s.sparkHeap() + " (a JVM of its own per point, after DuckDB and chDB)");
    config.put("spark_conf", "batch.conf (shuffle partitions 200, AQE + skew join, Kryo)");
    config.put("duckdb_threads", s.duckdbThreads());
    config.put("duckdb_memory_limit", s.duckdbMemoryLimit());
    config.put("clickhouse_threads", s.chdbThreads());
    config.put("clickhouse_max_memory_usage", s.chdbMaxMemoryUsage());
    config.put(
        "jvm_args",
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
            .filter(a -> a.startsWith("-X"))
            .toList());
    r.put("config", config);
    r.put("machine", Machine.facts());

    return ResultsJson.write(dir, r, null);
  }
}
