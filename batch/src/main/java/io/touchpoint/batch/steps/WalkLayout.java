package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.touchpoint.batch.BatchFunctions;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple2;

/**
 * Silver touchpoints laid out for the attribute step's walk: each day compaction writes is stored
 * as one file per walk-key bucket ({@code walk_bucket} = {@code floorMod(walk_key, walk_buckets)},
 * {@code walk_key} = {@link BatchFunctions#touchPrimaryKey}, the key the walk groups a touch under;
 * touches without a matchable advertising id have no walk key and sit in bucket 0), the file's rows
 * sorted by {@code (walk_key, event_time)}. Delta keeps each file's min/max of the three columns,
 * so a reader knows from the log alone whether every file of a range of days is a one-bucket file
 * of a given bucket count ({@link #check}): then a task can read a bucket's days as sorted runs and
 * merge them ({@link BucketWalk}) instead of shuffling and sorting the touches.
 */
public final class WalkLayout {
  public static final String WALK_KEY = "walk_key";
  public static final String WALK_BUCKET = "walk_bucket";
  public static final String WALK_BUCKETS = "walk_buckets";

  /** Silver touchpoints: the contract's columns, then the walk layout's. */
  public static final StructType SILVER_TOUCHPOINTS =
      ContractSchemas.TOUCHPOINTS
          .add(WALK_KEY, DataTypes.LongType, true)
          .add(WALK_BUCKET, DataTypes.IntegerType, true)
          .add(WALK_BUCKETS, DataTypes.IntegerType, true);

  /**
   * The columns Delta keeps statistics of in silver touchpoints: the layout's (the plan's check)
   * and the times (a reader's ranges); the ids and device fields are never selected by range.
   */
  static final String STATS_COLUMNS = "event_time,received_at,walk_key,walk_bucket,walk_buckets";

  private static final String STATS_PROPERTY = "delta.dataSkippingStatsColumns";

  private static final ObjectMapper JSON = new ObjectMapper();

  private WalkLayout() {}

  /**
   * {@code touches} (contract columns + event_date, only rows of {@code days}) with the walk
   * columns; with {@code buckets > 0} also placed one Spark partition per (day, bucket) and sorted
   * by (event_date, walk_key, event_time) within it, so that a write makes one file per day and
   * bucket. (A hash repartition by (day, bucket) would put several buckets in one task, and so in
   * one file; Spark's writer splits files by partition column only.)
   */
  static Dataset<Row> laidOut(
      SparkSession spark, Dataset<Row> touches, Collection<LocalDate> days, int buckets) {
    Dataset<Row> keyed =
        touches.withColumn(
            WALK_KEY, BatchFunctions.touchPrimaryKey(col("app_id"), col("device_advertising_id")));
    if (buckets == 0) {
      return keyed
          .withColumn(WALK_BUCKET, lit(null).cast(DataTypes.IntegerType))
          .withColumn(WALK_BUCKETS, lit(null).cast(DataTypes.IntegerType));
    }
    keyed =
        keyed
            .withColumn(
                WALK_BUCKET,
                coalesce(pmod(col(WALK_KEY), lit((long) buckets)), lit(0L)).cast("int"))
            .withColumn(WALK_BUCKETS, lit(buckets));
    StructType schema = keyed.schema();
    int date = schema.fieldIndex(LakeTables.EVENT_DATE);
    int bucket = schema.fieldIndex(WALK_BUCKET);
    Map<Integer, Integer> dayIndex = new HashMap<>();
    for (LocalDate d : new TreeSet<>(days)) {
      dayIndex.put((int) d.toEpochDay(), dayIndex.size());
    }
    int n = buckets;
    var placed =
        keyed
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapToPair(
                r ->
                    new Tuple2<>(
                        dayIndex.get(r.getInt(date)) * n + r.getInt(bucket),
                        (InternalRow) r.copy()))
            .partitionBy(new SlotPartitioner(dayIndex.size() * n))
            .values();
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(placed.rdd(), schema, false)
        .sortWithinPartitions(col(LakeTables.EVENT_DATE), col(WALK_KEY), col("event_time"));
  }

  /** Partition i holds slot i (day index * buckets + bucket). */
  private static final class SlotPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int slots;

    SlotPartitioner(int slots) {
      this.slots = slots;
    }

    @Override
    public int numPartitions() {
      return slots;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SlotPartitioner p && p.slots == slots;
    }

    @Override
    public int hashCode() {
      return slots;
    }
  }

  /**
   * Makes silver touchpoints ready for the layout before compaction writes it: created with the
   * layout's columns and statistics when it does not exist; a table written before the layout gets
   * the columns and the statistics setting once (two commits; its old files keep no layout).
   */
  static void prepare(SparkSession spark, String path) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      DeltaTable.createIfNotExists(spark)
          .location(path)
          .addColumns(SILVER_TOUCHPOINTS.add(LakeTables.EVENT_DATE, DataTypes.DateType, true))
          .partitionedBy(LakeTables.EVENT_DATE)
          .property(STATS_PROPERTY, STATS_COLUMNS)
          .execute();
      return;
    }
    Snapshot snapshot =
        DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    String table = "delta.`" + path.replace("`", "``") + "`";
    if (!List.of(snapshot.metadata().schema().fieldNames()).contains(WALK_KEY)) {
      spark.sql(
          "ALTER TABLE "
              + table
              + " ADD COLUMNS ("
              + WALK_KEY
              + " BIGINT, "
              + WALK_BUCKET
              + " INT, "
              + WALK_BUCKETS
              + " INT)");
    }
    String stats = snapshot.metadata().configuration().get(STATS_PROPERTY).getOrElse(() -> "");
    if (!STATS_COLUMNS.equals(stats)) {
      spark.sql(
          "ALTER TABLE "
              + table
              + " SET TBLPROPERTIES ('"
              + STATS_PROPERTY
              + "' = '"
              + STATS_COLUMNS
              + "')");
    }
  }

  /**
   * Whether the attribute step can read {@code [from, to]} of silver touchpoints by bucket: {@code
   * files} per bucket when every file of those days is a one-bucket file of {@code buckets} (its
   * statistics: min = max of walk_bucket, walk_buckets = buckets, no null bucket) without deletion
   * vectors; else {@code reason} says why not.
   */
  record Layout(List<List<FileRef>> files, long fileCount, String reason) {
    boolean usable() {
      return files != null;
    }
  }

  /** A data file of the table: where it is and its length (what a Parquet reader needs). */
  record FileRef(String path, long size) implements java.io.Serializable {}

  static Layout check(SparkSession spark, String path, LocalDate from, LocalDate to, int buckets) {
    if (buckets == 0) {
      return new Layout(null, 0, "walk-buckets = 0");
    }
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return new Layout(null, 0, "no silver touchpoints");
    }
    Snapshot snapshot =
        DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    List<AddFile> adds =
        snapshot
            .allFiles()
            .where(
                col("partitionValues")
                    .getItem(LakeTables.EVENT_DATE)
                    .between(lit(from.toString()), lit(to.toString())))
            .collectAsList();
    List<List<FileRef>> files = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      files.add(new ArrayList<>());
    }
    Path table = new Path(path);
    for (AddFile add : adds) {
      if (add.deletionVector() != null) {
        return new Layout(null, adds.size(), "a file has deletion vectors: " + add.path());
      }
      int bucket = bucketOf(add.stats(), buckets);
      if (bucket < 0) {
        return new Layout(
            null,
            adds.size(),
            "%d file(s) of %s..%s, %s not a one-bucket file of walk-buckets %d"
                .formatted(adds.size(), from, to, add.path(), buckets));
      }
      files.get(bucket).add(new FileRef(absolute(table, add.path()), add.size()));
    }
    return new Layout(files, adds.size(), null);
  }

  /** The file's bucket from its statistics, or -1 when it is not a one-bucket file of buckets. */
  static int bucketOf(String stats, int buckets) {
    if (stats == null) {
      return -1;
    }
    try {
      JsonNode s = JSON.readTree(stats);
      JsonNode min = s.path("minValues");
      JsonNode max = s.path("maxValues");
      JsonNode nulls = s.path("nullCount");
      if (s.path("numRecords").asLong(-1) == 0) {
        return 0; // an empty file holds no bucket's rows
      }
      if (!min.has(WALK_BUCKET)
          || !min.has(WALK_BUCKETS)
          || nulls.path(WALK_BUCKET).asLong(-1) != 0
          || nulls.path(WALK_BUCKETS).asLong(-1) != 0
          || min.get(WALK_BUCKETS).asInt() != buckets
          || max.path(WALK_BUCKETS).asInt(-1) != buckets
          || min.get(WALK_BUCKET).asInt() != max.path(WALK_BUCKET).asInt(-1)) {
        return -1;
      }
      int b = min.get(WALK_BUCKET).asInt();
      return b >= 0 && b < buckets ? b : -1;
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable Delta statistics: " + stats, e);
    }
  }

  private static String absolute(Path table, String file) {
    try {
      URI uri = new URI(file);
      return (uri.isAbsolute() ? new Path(uri) : new Path(table, new Path(uri))).toString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("bad file path in the Delta log: " + file, e);
    }
  }
}
