package io.touchpoint.batch;

import io.touchpoint.model.Event;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.Topics;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.model.spark.ContractSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A local SparkSession for tests, bronze fixtures written like the speed layer writes them,
 * snapshots.
 */
public final class TestLake {
  public static final StructType BRONZE_TOUCHPOINTS = withKafka(ContractSchemas.TOUCHPOINTS);
  public static final StructType BRONZE_APP_EVENTS = withKafka(ContractSchemas.APP_EVENTS);

  private TestLake() {}

  public static SparkSession spark() {
    return spark(java.util.Map.of());
  }

  /**
   * @param hadoop Hadoop settings (e.g. the embedded stack's s3a configuration)
   */
  public static SparkSession spark(java.util.Map<String, String> hadoop) {
    SparkSession.Builder b = SparkSession.builder();
    hadoop.forEach((k, v) -> b.config("spark.hadoop." + k, v));
    return b.master("local[2]")
        .appName("batch-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.sql.adaptive.coalescePartitions.initialPartitionNum", "2")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .getOrCreate();
  }

  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a test's folder (best effort). */
  public static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }

  /** Appends deliveries to the bronze tables, as the stream would (raw, duplicates kept). */
  public static void appendBronze(
      SparkSession spark, String lake, Collection<ScenarioData.Delivery> deliveries) {
    List<Row> touches = new ArrayList<>();
    List<Row> appEvents = new ArrayList<>();
    for (ScenarioData.Delivery d : deliveries) {
      (d.event() instanceof Touchpoint ? touches : appEvents)
          .add(bronzeRow(d.event(), d.partition(), d.offset()));
    }
    write(spark, touches, BRONZE_TOUCHPOINTS, LakeTables.path(lake, LakeTables.BRONZE_TOUCHPOINTS));
    write(spark, appEvents, BRONZE_APP_EVENTS, LakeTables.path(lake, LakeTables.BRONZE_APP_EVENTS));
  }

  /**
   * One bronze row in the speed layer's layout (streaming's {@code LakeRows.bronze}): the contract
   * columns, the UTC event date, then where the record was read (topic, partition, offset, Kafka
   * timestamp = the collector's receipt, micro-batch 0).
   */
  public static Row bronzeRow(Event e, int partition, long offset) {
    Row base =
        e instanceof Touchpoint t ? ContractRows.touchpointRow(t) : ContractRows.appEventRow(e);
    Object[] values = new Object[base.length() + 6];
    for (int i = 0; i < base.length(); i++) {
      values[i] = base.get(i);
    }
    values[base.length()] =
        java.sql.Date.valueOf(LocalDate.ofInstant(e.eventTime(), ZoneOffset.UTC));
    values[base.length() + 1] = e instanceof Touchpoint ? Topics.TOUCHPOINTS : Topics.APP_EVENTS;
    values[base.length() + 2] = partition;
    values[base.length() + 3] = offset;
    values[base.length() + 4] = java.sql.Timestamp.from(e.receivedAt());
    values[base.length() + 5] = 0L;
    return RowFactory.create(values);
  }

  private static void write(SparkSession spark, List<Row> rows, StructType schema, String path) {
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .mode(SaveMode.Append)
        .partitionBy(LakeTables.EVENT_DATE)
        .save(path);
  }

  /** The stream's bronze columns after the contract's (see streaming's LakeRows). */
  private static StructType withKafka(StructType contract) {
    return contract
        .add(LakeTables.EVENT_DATE, DataTypes.DateType, false)
        .add("_kafka_topic", DataTypes.StringType, false)
        .add(LakeTables.BRONZE_KAFKA_PARTITION, DataTypes.IntegerType, false)
        .add(LakeTables.BRONZE_KAFKA_OFFSET, DataTypes.LongType, false)
        .add("_kafka_timestamp", DataTypes.TimestampType, false)
        .add("_batch_id", DataTypes.LongType, false);
  }

  /** Every table's full contents, rows rendered and sorted, by table. */
  public static TreeMap<String, List<String>> snapshot(
      SparkSession spark, String lake, List<String> tables) {
    TreeMap<String, List<String>> all = new TreeMap<>();
    Lake l = new Lake(spark, lake);
    for (String t : tables) {
      if (!l.exists(t)) {
        all.put(t, List.of("<missing>"));
        continue;
      }
      List<String> rows = new ArrayList<>();
      for (Row r : l.read(t).collectAsList()) {
        rows.add(r.toString());
      }
      rows.sort(null);
      all.put(t, rows);
    }
    return all;
  }

  /** Table by table, naming the rows only one side has. */
  public static void assertSameContents(
      TreeMap<String, List<String>> actual, TreeMap<String, List<String>> expected, String what) {
    org.assertj.core.api.Assertions.assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (String table : expected.keySet()) {
      List<String> missing = new ArrayList<>(expected.get(table));
      missing.removeAll(actual.get(table));
      List<String> extra = new ArrayList<>(actual.get(table));
      extra.removeAll(expected.get(table));
      org.assertj.core.api.Assertions.assertThat(actual.get(table))
          .as("%s: %s differs; missing %s; extra %s", what, table, missing, extra)
          .isEqualTo(expected.get(table));
    }
  }

  /** The tables the batch owns (silver, gold, marks, stats, reconciliation). */
  public static List<String> batchTables() {
    List<String> tables =
        new ArrayList<>(
            List.of(
                LakeTables.SILVER_TOUCHPOINTS,
                LakeTables.SILVER_APP_EVENTS,
                LakeTables.SILVER_ATTRIBUTIONS,
                LakeTables.SILVER_ATTRIBUTED_EVENTS,
                BatchTables.RECOMPUTE_MARKS,
                BatchTables.SITE_DAY_STATS,
                BatchTables.RECONCILIATION_DIFFERENCES,
                BatchTables.RECONCILIATION_SUMMARY));
    for (String g : BatchTables.GOLD) {
      tables.add(BatchTables.gold(g));
    }
    return tables;
  }
}
