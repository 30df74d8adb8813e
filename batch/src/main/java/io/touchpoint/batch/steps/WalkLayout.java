package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.touchpoint.batch.BatchFunctions;
import io.touchpoint.batch.Lake;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.Path;
import org.apache.spark.Partitioner;
import org.apache.spark.sql.Column;
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

  private static final ObjectMapper JSON = new ObjectMapper();

  private WalkLayout() {}

  /**
   * A day's bucket count: {@code maxBuckets} halved while the halves still hold at least {@code
   * bytesPerBucket} of the day's {@code dayBytes} each (a day of a few MB is one bucket, a large
   * day gets every bucket), so the counts of any two days divide one another and a reader can merge
   * them ({@link #check}). {@code bytesPerBucket = 0}: always {@code maxBuckets}.
   */
  static int bucketsFor(long dayBytes, int maxBuckets, long bytesPerBucket) {
    int n = maxBuckets;
    if (bytesPerBucket <= 0) {
      return n;
    }
    while (n % 2 == 0 && (long) (n / 2) * bytesPerBucket >= dayBytes) {
      n /= 2;
    }
    return n;
  }

  /**
   * {@code touches} (contract columns + event_date, only rows of the days of {@code buckets}) with
   * the walk columns, each day in its own bucket count ({@code 0} = no layout: null columns). A day
   * of several buckets is placed one Spark partition per (day, bucket) and sorted by (event_date,
   * walk_key, event_time) within it, so that a write makes one file per day and bucket. (A hash
   * repartition by (day, bucket) would put several buckets in one task, and so in one file; Spark's
   * writer splits files by partition column only.) When every day is one bucket and {@code
   * placeByDay} is false, the rows stay in the tasks that hold them and are only sorted there: each
   * task's file of a day is a one-bucket file, no second shuffle (a night's D and its few late
   * days; a backfill's tasks each hold rows of many days, which are placed one partition per day).
   */
  static Dataset<Row> laidOut(
      SparkSession spark,
      Dataset<Row> touches,
      Map<LocalDate, Integer> buckets,
      boolean placeByDay) {
    Dataset<Row> keyed =
        touches.withColumn(
            WALK_KEY, BatchFunctions.touchPrimaryKey(col("app_id"), col("device_advertising_id")));
    TreeMap<LocalDate, Integer> days = new TreeMap<>(buckets);
    if (days.values().stream().allMatch(n -> n == 0)) {
      return keyed
          .withColumn(WALK_BUCKET, lit(null).cast(DataTypes.IntegerType))
          .withColumn(WALK_BUCKETS, lit(null).cast(DataTypes.IntegerType));
    }
    Column count = null;
    for (Map.Entry<LocalDate, Integer> d : days.entrySet()) {
      Column when = col(LakeTables.EVENT_DATE).equalTo(lit(java.sql.Date.valueOf(d.getKey())));
      count = count == null ? when(when, lit(d.getValue())) : count.when(when, lit(d.getValue()));
    }
    keyed =
        keyed
            .withColumn(
                WALK_BUCKET, coalesce(pmod(col(WALK_KEY), count.cast("long")), lit(0L)).cast("int"))
            .withColumn(WALK_BUCKETS, count);
    if (!placeByDay && days.values().stream().allMatch(n -> n == 1)) {
      return keyed.sortWithinPartitions(
          col(LakeTables.EVENT_DATE), col(WALK_KEY), col("event_time"));
    }
    StructType schema = keyed.schema();
    int date = schema.fieldIndex(LakeTables.EVENT_DATE);
    int bucket = schema.fieldIndex(WALK_BUCKET);
    // slot of (day, bucket): the day's first slot + the bucket
    Map<Integer, Integer> firstSlot = new HashMap<>();
    int slots = 0;
    for (Map.Entry<LocalDate, Integer> d : days.entrySet()) {
      firstSlot.put((int) d.getKey().toEpochDay(), slots);
      slots += d.getValue();
    }
    return bySlot(spark, keyed, slots, r -> firstSlot.get(r.getInt(date)) + r.getInt(bucket))
        .sortWithinPartitions(col(LakeTables.EVENT_DATE), col(WALK_KEY), col("event_time"));
  }

  /**
   * {@code rows} placed one Spark partition per walk-key bucket: partition b holds the rows whose
   * int column {@code bucket} is b, so that a stage over them runs one task per bucket. (A hash
   * repartition by the bucket puts several buckets in one partition, and adaptive execution
   * coalesces small ones: at 50 M touches it left 5 walk tasks on 2 cores, the last on one.)
   */
  static Dataset<Row> byBucket(SparkSession spark, Dataset<Row> rows, String bucket, int buckets) {
    int b = rows.schema().fieldIndex(bucket);
    return bySlot(spark, rows, buckets, r -> r.getInt(b));
  }

  /** {@code rows} placed one Spark partition per slot: partition i holds the rows of slot i. */
  private static Dataset<Row> bySlot(
      SparkSession spark, Dataset<Row> rows, int slots, SlotOf slotOf) {
    var placed =
        rows.queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapToPair(r -> new Tuple2<>(slotOf.slot(r), (InternalRow) r.copy()))
            .partitionBy(new SlotPartitioner(slots))
            .values();
    return ((org.apache.spark.sql.classic.SparkSession) spark)
        .internalCreateDataFrame(placed.rdd(), rows.schema(), false);
  }

  /** A row's slot (serializable: it runs in the tasks). */
  @FunctionalInterface
  private interface SlotOf extends java.io.Serializable {
    int slot(InternalRow row);
  }

  /**
   * Partition i holds slot i (compaction: the day's first slot + the bucket, each day in its own
   * bucket count; the attribute step: the bucket).
   */
  static final class SlotPartitioner extends Partitioner {
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
    if (Lake.createWithStats(spark, path, SILVER_TOUCHPOINTS, STATS_COLUMNS)) {
      return;
    }
    Snapshot snapshot =
        DeltaLog.forTable(spark, path).update(false, scala.Option.empty(), scala.Option.empty());
    if (!List.of(snapshot.metadata().schema().fieldNames()).contains(WALK_KEY)) {
      spark.sql(
          "ALTER TABLE delta.`"
              + path.replace("`", "``")
              + "` ADD COLUMNS ("
              + WALK_KEY
              + " BIGINT, "
              + WALK_BUCKET
              + " INT, "
              + WALK_BUCKETS
              + " INT)");
    }
    Lake.keepStatsOn(spark, path, STATS_COLUMNS);
  }

  /**
   * Whether the attribute step can read {@code [from, to]} of silver touchpoints by bucket: {@code
   * files} per bucket of {@code buckets} when every file of those days is a one-bucket file (its
   * statistics: min = max of walk_bucket and of walk_buckets, no nulls) without deletion vectors
   * and the days' bucket counts nest (each a multiple of the smallest, which the read uses: bucket
   * b of a day of n buckets holds exactly the keys of bucket b mod m of m buckets when m divides
   * n); else {@code reason} says why not.
   */
  record Layout(List<List<FileRef>> files, int buckets, long fileCount, String reason) {
    static Layout refused(long fileCount, String reason) {
      return new Layout(null, 0, fileCount, reason);
    }

    boolean usable() {
      return files != null;
    }
  }

  /** A data file of the table: where it is and its length (what a Parquet reader needs). */
  record FileRef(String path, long size) implements java.io.Serializable {}

  /** What the Delta log says of a data file: where, how long, its statistics, deletion vectors. */
  record LoggedFile(String path, long size, String stats, boolean deletionVectors) {}

  /** A file's bucket and its day's bucket count; {@link #EMPTY} for a file of no rows. */
  record Slot(int bucket, int buckets) {
    static final Slot EMPTY = new Slot(0, 0);
  }

  static Layout check(
      SparkSession spark, String path, LocalDate from, LocalDate to, int maxBuckets) {
    if (maxBuckets == 0) {
      return Layout.refused(0, "walk-buckets = 0");
    }
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Layout.refused(0, "no silver touchpoints");
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
    Path table = new Path(path);
    List<LoggedFile> files = new ArrayList<>(adds.size());
    for (AddFile add : adds) {
      files.add(
          new LoggedFile(
              absolute(table, add.path()), add.size(), add.stats(), add.deletionVector() != null));
    }
    return plan(files, "%s..%s".formatted(from, to), maxBuckets);
  }

  /**
   * The read plan of {@code files} (the horizon {@code days}): the smallest bucket count of the
   * files that hold rows ({@code maxBuckets} when none does), each file under its bucket mod that.
   */
  static Layout plan(List<LoggedFile> files, String days, int maxBuckets) {
    List<Slot> slots = new ArrayList<>(files.size());
    int buckets = Integer.MAX_VALUE;
    for (LoggedFile f : files) {
      if (f.deletionVectors()) {
        return Layout.refused(files.size(), "a file has deletion vectors: " + f.path());
      }
      Slot slot = slotOf(f.stats());
      if (slot == null) {
        return Layout.refused(
            files.size(),
            "%d file(s) of %s, %s not a one-bucket file".formatted(files.size(), days, f.path()));
      }
      slots.add(slot);
      if (!slot.equals(Slot.EMPTY)) {
        buckets = Math.min(buckets, slot.buckets());
      }
    }
    if (buckets == Integer.MAX_VALUE) {
      buckets = maxBuckets;
    }
    List<List<FileRef>> byBucket = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      byBucket.add(new ArrayList<>());
    }
    for (int i = 0; i < files.size(); i++) {
      Slot slot = slots.get(i);
      if (slot.equals(Slot.EMPTY)) {
        continue; // no rows to merge
      }
      if (slot.buckets() % buckets != 0) {
        return Layout.refused(
            files.size(),
            "%d file(s) of %s, bucket counts %d and %d do not nest (%s)"
                .formatted(files.size(), days, buckets, slot.buckets(), files.get(i).path()));
      }
      LoggedFile f = files.get(i);
      byBucket.get(slot.bucket() % buckets).add(new FileRef(f.path(), f.size()));
    }
    return new Layout(byBucket, buckets, files.size(), null);
  }

  /**
   * The file's bucket and bucket count from its statistics; {@link Slot#EMPTY} for a file of no
   * rows; null when it is not a one-bucket file (several buckets or counts, null columns: written
   * before the layout or with walk-buckets = 0, no statistics).
   */
  static Slot slotOf(String stats) {
    if (stats == null) {
      return null;
    }
    try {
      JsonNode s = JSON.readTree(stats);
      JsonNode min = s.path("minValues");
      JsonNode max = s.path("maxValues");
      JsonNode nulls = s.path("nullCount");
      if (s.path("numRecords").asLong(-1) == 0) {
        return Slot.EMPTY; // an empty file holds no bucket's rows
      }
      if (!min.has(WALK_BUCKET)
          || !min.has(WALK_BUCKETS)
          || nulls.path(WALK_BUCKET).asLong(-1) != 0
          || nulls.path(WALK_BUCKETS).asLong(-1) != 0
          || min.get(WALK_BUCKETS).asInt() != max.path(WALK_BUCKETS).asInt(-1)
          || min.get(WALK_BUCKET).asInt() != max.path(WALK_BUCKET).asInt(-1)) {
        return null;
      }
      int n = min.get(WALK_BUCKETS).asInt();
      int b = min.get(WALK_BUCKET).asInt();
      return n > 0 && b >= 0 && b < n ? new Slot(b, n) : null;
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
