package io.touchpoint.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.touchpoint.model.LakeTables;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Delta tables under one lake root. Writes replace exactly the {@code event_date} partitions of the
 * days given ({@code replaceWhere}), in one commit per table: a rerun, or a run after a killed one,
 * leaves the same contents.
 */
public final class Lake {
  private final SparkSession spark;
  private final String root;

  public Lake(SparkSession spark, String root) {
    this.spark = spark;
    this.root = root;
  }

  public String root() {
    return root;
  }

  public String path(String table) {
    return LakeTables.path(root, table);
  }

  public boolean exists(String table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  public Dataset<Row> read(String table) {
    return spark.read().format("delta").load(path(table));
  }

  /** The table, or an empty frame of {@code schema} (+ event_date) when it was never written. */
  public Dataset<Row> readOrEmpty(String table, StructType schema) {
    if (exists(table)) {
      return read(table);
    }
    return spark.createDataFrame(List.of(), schema.add(LakeTables.EVENT_DATE, "date"));
  }

  public Optional<Dataset<Row>> readIfExists(String table) {
    return exists(table) ? Optional.of(read(table)) : Optional.empty();
  }

  /**
   * Bytes of the files under the table's {@code event_date} partitions of {@code [from, to]}: one
   * listing per day, no Delta log (files a later commit removed and no vacuum deleted yet count
   * too: an over-estimate). 0 for days or tables never written.
   */
  public long bytes(String table, LocalDate from, LocalDate to) {
    Path dir = new Path(path(table));
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      long total = 0;
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        try {
          for (FileStatus f : fs.listStatus(new Path(dir, LakeTables.EVENT_DATE + "=" + d))) {
            total += f.isFile() ? f.getLen() : 0;
          }
        } catch (FileNotFoundException e) {
          // a day without rows has no partition folder
        }
      }
      return total;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Delta's table property naming the only columns whose per-file statistics are kept. */
  public static final String STATS_COLUMNS = "delta.dataSkippingStatsColumns";

  /**
   * Creates the table at {@code path} empty, partitioned by event_date, with Delta's per-file
   * statistics on {@code statsColumns} only (comma-separated, {@link #STATS_COLUMNS}); false when
   * it already exists (then see {@link #keepStatsOn}).
   */
  public static boolean createWithStats(
      SparkSession spark, String path, StructType schema, String statsColumns) {
    if (DeltaTable.isDeltaTable(spark, path)) {
      return false;
    }
    DeltaTable.createIfNotExists(spark)
        .location(path)
        .addColumns(schema.add(LakeTables.EVENT_DATE, DataTypes.DateType, true))
        .partitionedBy(LakeTables.EVENT_DATE)
        .property(STATS_COLUMNS, statsColumns)
        .execute();
    return true;
  }

  /**
   * Sets {@link #STATS_COLUMNS} of the existing table at {@code path} to {@code statsColumns} when
   * it differs (one commit, once: files written before keep their statistics).
   */
  public static void keepStatsOn(SparkSession spark, String path, String statsColumns) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    log.update(false, scala.Option.empty(), scala.Option.empty());
    keepStatsOn(spark, path, statsColumns, log);
  }

  /** {@link #keepStatsOn}, judged on the snapshot {@code log} holds (no log read). */
  private static void keepStatsOn(
      SparkSession spark, String path, String statsColumns, DeltaLog log) {
    Snapshot snapshot = log.unsafeVolatileSnapshot();
    String current = snapshot.metadata().configuration().get(STATS_COLUMNS).getOrElse(() -> "");
    if (!statsColumns.equals(current)) {
      spark.sql(
          "ALTER TABLE delta.`"
              + path.replace("`", "``")
              + "` SET TBLPROPERTIES ('"
              + STATS_COLUMNS
              + "' = '"
              + statsColumns
              + "')");
    }
  }

  /** {@code event_date} between {@code from} and {@code to}, inclusive. */
  public static Column daysBetween(LocalDate from, LocalDate to) {
    return col(LakeTables.EVENT_DATE)
        .between(lit(java.sql.Date.valueOf(from)), lit(java.sql.Date.valueOf(to)));
  }

  public static Column day(LocalDate d) {
    return col(LakeTables.EVENT_DATE).equalTo(lit(java.sql.Date.valueOf(d)));
  }

  /**
   * Replaces the partitions of {@code days} with {@code data} (which must only hold those days), in
   * one commit, each task writing its rows as they come. Returns the rows written (from the
   * commit's metrics: no second pass over the data).
   */
  public long replaceDays(Dataset<Row> data, String table, Collection<LocalDate> days) {
    return replaceDays(data, table, days, false);
  }

  /**
   * The same; {@code optimizeWrite = true} shuffles the rows once more into about one file per
   * partition and bin (Delta's optimized write): only for a write whose tasks each hold rows of
   * many partitions (compaction places every row in its own event day). Elsewhere it is a stage and
   * a Spark job per write for nothing: a day's output is one partition, its tasks already sized by
   * AQE.
   */
  public long replaceDays(
      Dataset<Row> data, String table, Collection<LocalDate> days, boolean optimizeWrite) {
    return replaceDays(data, table, days, optimizeWrite, null);
  }

  /**
   * The same, into a table whose Delta statistics are kept on {@code statsColumns} only
   * (comma-separated, {@link #STATS_COLUMNS}; null = the session's default): the write that creates
   * the table sets the property in its own commit (Delta takes a path write's {@code delta.*}
   * options as the new table's properties, and its files' statistics follow them), so there is no
   * CREATE commit of its own and no log read before the write; a table created without it gets it
   * once after the write, seen in the write's own snapshot ({@link #keepStatsOn}: one commit).
   */
  public long replaceDays(
      Dataset<Row> data,
      String table,
      Collection<LocalDate> days,
      boolean optimizeWrite,
      String statsColumns) {
    long t0 = System.nanoTime();
    var writer =
        data.write()
            .option("optimizeWrite", String.valueOf(optimizeWrite))
            .format("delta")
            .mode(SaveMode.Overwrite)
            .option("replaceWhere", replaceWhere(days));
    if (statsColumns != null) {
      writer = writer.option(STATS_COLUMNS, statsColumns);
    }
    writer.partitionBy(LakeTables.EVENT_DATE).save(path(table));
    if (TRACE) {
      System.err.printf("trace: write %s %s %.2f s%n", table, days, (System.nanoTime() - t0) / 1e9);
    }
    long rows = lastWrittenRows(table);
    if (statsColumns != null) {
      keepStatsOn(spark, path(table), statsColumns, DeltaLog.forTable(spark, path(table)));
    }
    return rows;
  }

  /**
   * numOutputRows of the table's latest commit, read from that one commit file of the Delta log
   * (the version is the log's snapshot after our commit, which Delta keeps in memory): one small
   * read, where the table's history API lists the log and runs a Spark job to read it.
   */
  public long lastWrittenRows(String table) {
    DeltaLog log = DeltaLog.forTable(spark, path(table));
    Path commit =
        new Path(
            log.logPath(), String.format("%020d.json", log.unsafeVolatileSnapshot().version()));
    try {
      FileSystem fs = commit.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          JsonNode info = JSON.readTree(line).path("commitInfo");
          if (!info.isMissingNode()) {
            return info.path("operationMetrics").path("numOutputRows").asLong(0L);
          }
        }
      }
      return 0L;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Delta commit " + commit, e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final boolean TRACE = System.getenv("TOUCHPOINT_BATCH_TRACE") != null;

  /**
   * Replaces the rows matching {@code predicate} (SQL over the table's columns, partition column
   * included) with {@code data}, which must match it too, in one commit. Returns the rows written.
   */
  public long replaceWhere(Dataset<Row> data, String table, String predicate) {
    data.write()
        .option("optimizeWrite", "false")
        .format("delta")
        .mode(SaveMode.Overwrite)
        .option("replaceWhere", predicate)
        .partitionBy(LakeTables.EVENT_DATE)
        .save(path(table));
    return lastWrittenRows(table);
  }

  /** The SQL predicate selecting the {@code event_date} partitions of {@code days}. */
  public static String replaceWhere(Collection<LocalDate> days) {
    TreeSet<LocalDate> sorted = new TreeSet<>(days);
    if (sorted.size() == 1) {
      return LakeTables.EVENT_DATE + " = DATE'" + sorted.first() + "'";
    }
    return LakeTables.EVENT_DATE
        + " IN ("
        + sorted.stream().map(d -> "DATE'" + d + "'").collect(Collectors.joining(", "))
        + ")";
  }
}
