package io.touchpoint.batch.erase;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.decode;
import static org.apache.spark.sql.functions.instr;

import io.touchpoint.model.LakeTables;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Removes one device of one app from every Delta table of the lake that holds its events or
 * verdicts (GDPR/CCPA erasure): bronze, silver, speed and quarantine. Returns the days whose gold
 * the batch must recompute, and appends an audit record without the identifier in clear. The
 * deleted rows' files stay in the tables' history until VACUUM removes them ({@link #vacuum}).
 */
public final class DeviceErasure {

  /** Where the audit records go, under the lake root. */
  public static final String AUDIT_TABLE = "audit/erasures";

  /** A table and how its rows name the device. */
  enum Kind {
    EVENTS,
    VERDICTS,
    DEAD_LETTERS
  }

  static final Map<String, Kind> TABLES = tables();

  private static Map<String, Kind> tables() {
    Map<String, Kind> m = new LinkedHashMap<>();
    m.put(LakeTables.BRONZE_TOUCHPOINTS, Kind.EVENTS);
    m.put(LakeTables.BRONZE_APP_EVENTS, Kind.EVENTS);
    m.put(LakeTables.SILVER_TOUCHPOINTS, Kind.EVENTS);
    m.put(LakeTables.SILVER_APP_EVENTS, Kind.EVENTS);
    m.put(LakeTables.SPEED_ATTRIBUTIONS, Kind.VERDICTS);
    m.put(LakeTables.SPEED_ATTRIBUTED_EVENTS, Kind.VERDICTS);
    m.put(LakeTables.SILVER_ATTRIBUTIONS, Kind.VERDICTS);
    m.put(LakeTables.SILVER_ATTRIBUTED_EVENTS, Kind.VERDICTS);
    m.put(LakeTables.QUARANTINE, Kind.DEAD_LETTERS);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The audit records of requests whose work is done (recompute and publishing), by request id. */
  public static final String COMPLETIONS_TABLE = "audit/erasure_completions";

  /**
   * What one erasure removed. {@code days}: event dates whose gold must be recomputed, this
   * request's and those of the unfinished earlier requests it resumes ({@code resumed}, their ids).
   */
  public record Report(
      String requestId, Map<String, Long> rowsByTable, List<LocalDate> days, List<String> resumed) {
    public long total() {
      return rowsByTable.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final SparkSession spark;
  private final String lake;
  private final PrintStream out;

  public DeviceErasure(SparkSession spark, String lake, PrintStream out) {
    this.spark = spark;
    this.lake = lake;
    this.out = out;
  }

  /**
   * Deletes every row of {@code deviceId} (its advertising id or vendor id) in app {@code appId}.
   * The audit record, with the days the rows fell on, is written before the first delete, so a run
   * killed anywhere after it leaves those days on record: the next request for the same device
   * resumes every earlier request without a completion record ({@link #complete}) and returns their
   * days too. Idempotent: a request after a completed one finds nothing and recomputes nothing.
   */
  public Report erase(String appId, String deviceId) {
    if (appId == null || appId.isBlank() || deviceId == null || deviceId.isBlank()) {
      throw new IllegalArgumentException("an erasure needs an app id and a device id");
    }
    String requestId = UUID.randomUUID().toString();
    String deviceHash = sha256(deviceId);
    Map<String, List<LocalDate>> unfinished = unfinished(appId, deviceHash);
    if (!unfinished.isEmpty()) {
      out.printf(
          "erase: resuming %d unfinished request(s) of this device: %s%n",
          unfinished.size(), unfinished.keySet());
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    TreeSet<LocalDate> days = new TreeSet<>();
    Map<String, Column> toDelete = new LinkedHashMap<>();
    for (Map.Entry<String, Kind> t : TABLES.entrySet()) {
      String path = LakeTables.path(lake, t.getKey());
      if (!exists(path)) {
        continue;
      }
      Column match = predicate(t.getValue(), appId, deviceId);
      var matching = spark.read().format("delta").load(path).where(match);
      long n;
      if (t.getValue() == Kind.DEAD_LETTERS) {
        n = matching.count();
      } else {
        n = 0;
        for (Row r : matching.groupBy(LakeTables.EVENT_DATE).count().collectAsList()) {
          days.add(r.getDate(0).toLocalDate());
          n += r.getLong(1);
        }
      }
      rows.put(t.getKey(), n);
      if (n > 0) {
        toDelete.put(path, match);
      }
    }
    audit(new Report(requestId, rows, List.copyOf(days), List.of()), appId, deviceHash);
    for (Map.Entry<String, Kind> t : TABLES.entrySet()) {
      String path = LakeTables.path(lake, t.getKey());
      long t0 = System.nanoTime();
      if (toDelete.containsKey(path)) {
        io.delta.tables.DeltaTable.forPath(spark, path).delete(toDelete.get(path));
      }
      if (rows.containsKey(t.getKey())) {
        out.printf(
            "erase: %s: %d rows deleted (%.1f s)%n",
            t.getKey(), rows.get(t.getKey()), (System.nanoTime() - t0) / 1e9);
      }
    }
    unfinished.values().forEach(days::addAll);
    return new Report(requestId, rows, List.copyOf(days), List.copyOf(unfinished.keySet()));
  }

  /**
   * Records that the request and the earlier ones it resumed are done: their days recomputed and
   * published. Until then a later request for the device redoes their days.
   */
  public void complete(Report report, String appId, String deviceId) {
    StructType schema =
        new StructType()
            .add("request_id", DataTypes.StringType, false)
            .add("completed_at", DataTypes.TimestampType, false)
            .add("completed_by", DataTypes.StringType, false)
            .add("app_id", DataTypes.StringType, false)
            .add("device_sha256", DataTypes.StringType, false);
    Timestamp now = Timestamp.from(Instant.now());
    String hash = sha256(deviceId);
    List<Row> rows = new ArrayList<>();
    for (String id :
        Stream.concat(Stream.of(report.requestId()), report.resumed().stream()).toList()) {
      rows.add(RowFactory.create(id, now, report.requestId(), appId, hash));
    }
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .mode("append")
        .save(LakeTables.path(lake, COMPLETIONS_TABLE));
    out.printf("erase: request %s complete (%d resumed)%n", report.requestId(), rows.size() - 1);
  }

  /** Audit records of this app and device without a completion record: request id -> days. */
  private Map<String, List<LocalDate>> unfinished(String appId, String deviceHash) {
    String audit = LakeTables.path(lake, AUDIT_TABLE);
    if (!exists(audit)) {
      return Map.of();
    }
    Dataset<Row> requests =
        spark
            .read()
            .format("delta")
            .load(audit)
            .where(col("app_id").equalTo(appId).and(col("device_sha256").equalTo(deviceHash)));
    String completions = LakeTables.path(lake, COMPLETIONS_TABLE);
    if (exists(completions)) {
      requests =
          requests.join(
              spark.read().format("delta").load(completions).select("request_id"),
              "request_id",
              "left_anti");
    }
    Map<String, List<LocalDate>> m = new TreeMap<>();
    for (Row r : requests.select("request_id", "days").collectAsList()) {
      m.put(r.getString(0), r.<String>getList(1).stream().map(LocalDate::parse).toList());
    }
    return m;
  }

  /**
   * The device's rows. Events carry the device's ids; verdicts its device key ({@code aid:} or
   * {@code vid:}); dead letters only their raw bytes, searched for both ids.
   */
  static Column predicate(Kind kind, String appId, String deviceId) {
    return switch (kind) {
      case EVENTS ->
          col("app_id")
              .equalTo(appId)
              .and(
                  col("device_advertising_id")
                      .equalTo(deviceId)
                      .or(col("device_vendor_id").equalTo(deviceId)));
      case VERDICTS ->
          col("app_id")
              .equalTo(appId)
              .and(col("device_key").isin("aid:" + deviceId, "vid:" + deviceId));
      case DEAD_LETTERS ->
          instr(decode(col("raw_payload"), "UTF-8"), deviceId)
              .gt(0)
              .and(instr(decode(col("raw_payload"), "UTF-8"), appId).gt(0));
    };
  }

  /** The Spark setting Delta's VACUUM lists a table's folders with (its number of tasks). */
  static final String LISTING_PARALLELISM =
      "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /**
   * Physically removes deleted files older than {@code retainHours} from every table, listing each
   * table's folders in {@code listingTasks} Spark tasks (batch.conf {@code
   * erase.vacuum-listing-tasks}; the session's own value again afterwards).
   */
  public void vacuum(double retainHours, int listingTasks) {
    if (retainHours < 168) {
      // Delta refuses a retention under its 7-day default unless told that no reader needs it
      spark.conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    }
    // what the session set itself (getOption would give Spark's default as if set)
    scala.Option<String> before = spark.conf().getAll().get(LISTING_PARALLELISM);
    spark.conf().set(LISTING_PARALLELISM, String.valueOf(listingTasks));
    try {
      for (String table : TABLES.keySet()) {
        String path = LakeTables.path(lake, table);
        if (exists(path)) {
          long t0 = System.nanoTime();
          io.delta.tables.DeltaTable.forPath(spark, path).vacuum(retainHours);
          out.printf(
              "erase: vacuumed %s (retain %.0f h, listed in %d tasks, %.1f s)%n",
              table, retainHours, listingTasks, (System.nanoTime() - t0) / 1e9);
        }
      }
    } finally {
      if (before.isDefined()) {
        spark.conf().set(LISTING_PARALLELISM, before.get());
      } else {
        spark.conf().unset(LISTING_PARALLELISM);
      }
    }
  }

  /**
   * The audit record: request id, time, app, SHA-256 of the device id (never the id), the rows to
   * delete per table, their days.
   */
  private void audit(Report report, String appId, String deviceHash) {
    StructType schema =
        new StructType()
            .add("request_id", DataTypes.StringType, false)
            .add("requested_at", DataTypes.TimestampType, false)
            .add("app_id", DataTypes.StringType, false)
            .add("device_sha256", DataTypes.StringType, false)
            .add(
                "rows_by_table",
                DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType),
                false)
            .add("days", DataTypes.createArrayType(DataTypes.StringType), false);
    Row row =
        RowFactory.create(
            report.requestId(),
            Timestamp.from(Instant.now()),
            appId,
            deviceHash,
            report.rowsByTable(),
            new ArrayList<>(report.days().stream().map(LocalDate::toString).toList()));
    spark
        .createDataFrame(List.of(row), schema)
        .write()
        .format("delta")
        .mode("append")
        .save(LakeTables.path(lake, AUDIT_TABLE));
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private boolean exists(String path) {
    return io.delta.tables.DeltaTable.isDeltaTable(spark, path);
  }
}
