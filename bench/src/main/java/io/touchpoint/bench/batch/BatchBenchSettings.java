package io.touchpoint.bench.batch;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

/** bench-batch.conf with its environment overrides (the command's options override these). */
public record BatchBenchSettings(
    long headlineTouches,
    long headlineInstalls,
    List<Integer> points,
    LocalDate date,
    long seed,
    Shape shape,
    Path workDir,
    int duckdbThreads,
    String duckdbMemoryLimit,
    int chdbThreads,
    long chdbMaxMemoryUsage,
    String sparkMaster,
    String sparkHeap,
    String sparkJavaOptions,
    boolean sparkSqlAsof) {

  /** How the generated day looks (see {@link DayGenerator}). */
  public record Shape(
      int devicesPerInstall,
      int clickPercent,
      int apps,
      int mediaSources,
      int sites,
      Duration maxDelay) {}

  public static BatchBenchSettings load(Path repoRoot) {
    Config c =
        ConfigFactory.parseResources(BatchBenchSettings.class, "/bench-batch.conf")
            .resolve()
            .getConfig("touchpoint.bench.batch");
    Config s = c.getConfig("shape");
    Path work = Path.of(c.getString("work-dir"));
    return new BatchBenchSettings(
        c.getLong("headline-touches"),
        c.getLong("headline-installs"),
        c.getIntList("points"),
        LocalDate.parse(c.getString("date")),
        c.getLong("seed"),
        new Shape(
            s.getInt("devices-per-install"),
            s.getInt("click-percent"),
            s.getInt("apps"),
            s.getInt("media-sources"),
            s.getInt("sites"),
            s.getDuration("max-delay")),
        work.isAbsolute() ? work : repoRoot.resolve(work).normalize(),
        c.getInt("duckdb.threads"),
        c.getString("duckdb.memory-limit"),
        c.getInt("clickhouse.threads"),
        c.getLong("clickhouse.max-memory-usage"),
        c.getString("spark.master"),
        c.getString("spark.heap"),
        c.getString("spark.java-options"),
        c.getBoolean("spark.sql-asof"));
  }

  public BatchBenchSettings withWorkDir(Path dir) {
    return new BatchBenchSettings(
        headlineTouches,
        headlineInstalls,
        points,
        date,
        seed,
        shape,
        dir,
        duckdbThreads,
        duckdbMemoryLimit,
        chdbThreads,
        chdbMaxMemoryUsage,
        sparkMaster,
        sparkHeap,
        sparkJavaOptions,
        sparkSqlAsof);
  }

  public BatchBenchSettings withSparkSqlAsof(boolean on) {
    return new BatchBenchSettings(
        headlineTouches,
        headlineInstalls,
        points,
        date,
        seed,
        shape,
        workDir,
        duckdbThreads,
        duckdbMemoryLimit,
        chdbThreads,
        chdbMaxMemoryUsage,
        sparkMaster,
        sparkHeap,
        sparkJavaOptions,
        on);
  }

  /** The volume of one curve point: {@code multiple} × (headline × scale / largest point). */
  public Volume volume(int multiple, double scale) {
    int largest = points.stream().mapToInt(Integer::intValue).max().orElse(1);
    long touches = Math.round(headlineTouches * scale * multiple / largest);
    long installs = Math.round(headlineInstalls * scale * multiple / largest);
    return new Volume(multiple, touches, installs);
  }

  /** One point of the curve. */
  public record Volume(int multiple, long touches, long installs) {
    public String label() {
      return multiple + "x";
    }
  }
}
