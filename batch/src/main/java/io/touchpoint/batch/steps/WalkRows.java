package io.touchpoint.batch.steps;

import static io.touchpoint.batch.BatchFunctions.candidateSecondaryKeys;
import static io.touchpoint.batch.BatchFunctions.deviceKey;
import static io.touchpoint.batch.BatchFunctions.deviceLookupKey;
import static io.touchpoint.batch.BatchFunctions.touchSecondaryKeys;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The rows the attribute step walks: touches, installs and linked sessions side by side, each under
 * a 64-bit match-key hash {@code k}, walked in {@code (t, ord, id)} order per key ({@link
 * KeyGroups}). Only the columns the rules read travel: a touch's ad, cost and vendor-side device
 * fields do not; an earlier install (not a candidate) carries only its id, time and reception time.
 */
final class WalkRows {
  static final int TOUCH = 0;
  static final int EVENT = 1;

  /** The touch columns {@link io.touchpoint.attribution.AttributionEngine} reads or reports. */
  static final StructType TOUCH_FIELDS =
      new StructType()
          .add("event_id", DataTypes.StringType)
          .add("event_type", DataTypes.StringType)
          .add("app_id", DataTypes.StringType)
          .add("event_time", DataTypes.TimestampType)
          .add("received_at", DataTypes.TimestampType)
          .add("device_advertising_id", DataTypes.StringType)
          .add("device_ip", DataTypes.StringType)
          .add("device_user_agent", DataTypes.StringType)
          .add("media_source", DataTypes.StringType)
          .add("campaign_id", DataTypes.StringType)
          .add("campaign", DataTypes.StringType)
          .add("adset", DataTypes.StringType)
          .add("site_id", DataTypes.StringType)
          .add("click_id", DataTypes.StringType)
          .add("retargeting", DataTypes.BooleanType);

  /** The candidate columns a verdict needs (an install or a linked session). */
  static final StructType EVENT_FIELDS =
      new StructType()
          .add("event_type", DataTypes.StringType)
          .add("app_id", DataTypes.StringType)
          .add("device_advertising_id", DataTypes.StringType)
          .add("device_vendor_id", DataTypes.StringType)
          .add("device_ip", DataTypes.StringType)
          .add("device_user_agent", DataTypes.StringType)
          .add("device_platform", DataTypes.StringType)
          .add("device_country", DataTypes.StringType)
          .add("referrer_click_id", DataTypes.StringType)
          .add("install_begin_time", DataTypes.TimestampType)
          .add("deep_link_click_id", DataTypes.StringType);

  static final StructType SCHEMA =
      new StructType()
          .add("k", DataTypes.LongType, false)
          .add("t", DataTypes.TimestampType, false)
          .add("ord", DataTypes.IntegerType, false)
          .add("id", DataTypes.StringType)
          .add("received_at", DataTypes.TimestampType)
          .add(
              "dkey",
              DataTypes
                  .StringType) // installs only: app + device key, whose earlier installs these are
          .add("cand", DataTypes.BooleanType, false)
          // link lookups and the touch copies they make: the candidate's own walk key
          .add("target", DataTypes.LongType)
          .add("touch", TOUCH_FIELDS)
          .add("ev", EVENT_FIELDS);

  static final int K = 0;
  static final int T = 1;
  static final int ORD = 2;
  static final int ID = 3;
  static final int RECEIVED = 4;
  static final int DKEY = 5;
  static final int CAND = 6;
  static final int TARGET = 7;
  static final int TOUCH_STRUCT = 8;
  static final int EVENT_STRUCT = 9;

  private WalkRows() {}

  /**
   * Touches under their advertising-id key, kept when some candidate may ask for it ({@code
   * walkKey} of app, advertising id and time in microseconds: the key, or null). A dropped touch's
   * other columns are never read into a row.
   */
  static Dataset<Row> primaryTouches(Dataset<Row> touches, String walkKey) {
    return touches
        .select(
            withTouchColumns(
                call_function(
                        walkKey,
                        col("app_id"),
                        col("device_advertising_id"),
                        unix_micros(col("event_time")))
                    .as("k")))
        .where(col("k").isNotNull())
        .select(touchRow());
  }

  /**
   * Touches under their click-id and probabilistic keys, kept when some candidate may ask for one.
   */
  static Dataset<Row> secondaryTouches(Dataset<Row> touches, String mightContain) {
    return touches
        .select(
            withTouchColumns(
                explode(
                        touchSecondaryKeys(
                            col("app_id"),
                            col("event_type"),
                            col("device_advertising_id"),
                            col("click_id"),
                            col("device_ip"),
                            col("device_user_agent")))
                    .as("k")))
        .where(call_function(mightContain, col("k")))
        .select(touchRow());
  }

  /**
   * Installs of the re-attribution window (D's are candidates, the earlier ones give the prior
   * install) and D's linked sessions, under the device's walk key.
   */
  static Dataset<Row> events(
      Dataset<Row> installs, Dataset<Row> linkedSessions, String mightContain) {
    Column isInstall = col("event_type").equalTo(EventType.INSTALL.wireName());
    Dataset<Row> rows =
        installs
            .withColumn("cand", col("is_day"))
            .drop("is_day")
            .unionByName(linkedSessions.withColumn("cand", lit(true)));
    return rows.withColumn(
            "k",
            deviceLookupKey(col("app_id"), col("device_advertising_id"), col("device_vendor_id")))
        .where(col("cand").or(call_function(mightContain, col("k"))))
        .select(
            col("k"),
            col("event_time").as("t"),
            lit(EVENT).as("ord"),
            col("event_id").as("id"),
            col("received_at"),
            when(
                    isInstall,
                    concat_ws(
                        "|",
                        col("app_id"),
                        coalesce(
                            deviceKey(col("device_advertising_id"), col("device_vendor_id")),
                            lit("null"))))
                .as("dkey"),
            col("cand"),
            lit(null).cast(DataTypes.LongType).as("target"),
            lit(null).cast(TOUCH_FIELDS).as("touch"),
            when(col("cand"), struct(columns(EVENT_FIELDS))).as("ev"));
  }

  /**
   * One row per link key (click id, probabilistic) each candidate asks, pointing at its walk key.
   */
  static Dataset<Row> linkLookups(Dataset<Row> candidates) {
    return candidates.select(
        explode(secondaryOf(candidates)).as("k"),
        col("event_time").as("t"),
        lit(EVENT).as("ord"),
        col("event_id").as("id"),
        lit(null).cast(DataTypes.TimestampType).as("received_at"),
        lit(null).cast(DataTypes.StringType).as("dkey"),
        lit(true).as("cand"),
        deviceLookupKey(col("app_id"), col("device_advertising_id"), col("device_vendor_id"))
            .as("target"),
        lit(null).cast(TOUCH_FIELDS).as("touch"),
        lit(null).cast(EVENT_FIELDS).as("ev"));
  }

  /** A candidate's link keys (everything but its walk key), as hashes. */
  static Column secondaryOf(Dataset<Row> candidates) {
    return candidateSecondaryKeys(
        col("app_id"),
        col("device_advertising_id"),
        col("link_click_id"),
        col("device_ip"),
        col("device_user_agent"));
  }

  static Column primaryOf() {
    return deviceLookupKey(col("app_id"), col("device_advertising_id"), col("device_vendor_id"));
  }

  /**
   * The key and the touch's columns, bare: the struct is only built for the rows the key filter
   * keeps.
   */
  private static Column[] withTouchColumns(Column key) {
    Column[] touch = columns(TOUCH_FIELDS);
    Column[] out = new Column[touch.length + 1];
    out[0] = key;
    System.arraycopy(touch, 0, out, 1, touch.length);
    return out;
  }

  private static Column[] touchRow() {
    return new Column[] {
      col("k"),
      col("event_time").as("t"),
      lit(TOUCH).as("ord"),
      lit(null).cast(DataTypes.StringType).as("id"),
      lit(null).cast(DataTypes.TimestampType).as("received_at"),
      lit(null).cast(DataTypes.StringType).as("dkey"),
      lit(false).as("cand"),
      lit(null).cast(DataTypes.LongType).as("target"),
      struct(columns(TOUCH_FIELDS)).as("touch"),
      lit(null).cast(EVENT_FIELDS).as("ev")
    };
  }

  static Column[] columns(StructType schema) {
    return Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
  }

  /** The touch as the engine sees it (fields the rules never read are left empty). */
  static Touchpoint touchpoint(InternalRow t) {
    return touchpoint(t, 0);
  }

  /**
   * {@link #touchpoint(InternalRow)} of the {@link #TOUCH_FIELDS} at {@code o..o + 14} of a row.
   */
  static Touchpoint touchpoint(InternalRow t, int o) {
    return touchpoint(
        new TouchFields() {
          @Override
          public String string(int i) {
            return WalkRows.string(t, o + i);
          }

          @Override
          public Instant instant(int i) {
            return WalkRows.instant(t, o + i);
          }

          @Override
          public boolean isTrue(int i) {
            return !t.isNullAt(o + i) && t.getBoolean(o + i);
          }
        });
  }

  /** The {@link #TOUCH_FIELDS} of one touch, by their index there, wherever they are held. */
  interface TouchFields {
    String string(int i);

    Instant instant(int i);

    /** A boolean column: false when null. */
    boolean isTrue(int i);
  }

  /** The touch as the engine sees it, from its {@link #TOUCH_FIELDS}. */
  static Touchpoint touchpoint(TouchFields t) {
    String wire = t.string(1);
    EventType type =
        EventType.fromWire(wire)
            .orElseThrow(() -> new IllegalArgumentException("unknown event_type: " + wire));
    return new Touchpoint(
        t.string(0),
        type,
        t.string(2),
        t.instant(3),
        t.instant(4),
        new Device(t.string(5), null, t.string(6), t.string(7), null, null, null),
        t.string(8),
        t.string(9),
        t.string(10),
        t.string(11),
        null,
        t.string(12),
        t.string(13),
        t.isTrue(14),
        null,
        null,
        null);
  }

  /**
   * A touch row ({@link #SCHEMA}: key, time, kind; no touch struct) whose touch the bucket walk has
   * already read into the engine's form straight from the file's row: its columns are not copied
   * into a row first and converted again by the walk.
   */
  static final class DecodedTouch extends GenericInternalRow {
    private final transient Touchpoint touch;

    DecodedTouch(long key, long time, Touchpoint touch) {
      super(new Object[SCHEMA.size()]);
      update(K, key);
      update(T, time);
      update(ORD, TOUCH);
      update(CAND, false);
      this.touch = touch;
    }

    Touchpoint touch() {
      return touch;
    }
  }

  /** The candidate's install or session. */
  static io.touchpoint.model.Event candidate(InternalRow r) {
    InternalRow e = r.getStruct(EVENT_STRUCT, EVENT_FIELDS.size());
    String id = string(r, ID);
    Instant time = instant(r, T);
    Instant received = instant(r, RECEIVED);
    Device device =
        new Device(
            string(e, 2),
            string(e, 3),
            string(e, 4),
            string(e, 5),
            string(e, 6),
            null,
            string(e, 7));
    if (EventType.INSTALL.wireName().equals(string(e, 0))) {
      return new Install(
          id,
          EventType.INSTALL,
          string(e, 1),
          time,
          received,
          device,
          string(e, 8),
          instant(e, 9),
          null);
    }
    return new Session(id, EventType.SESSION, string(e, 1), time, received, device, string(e, 10));
  }

  static String string(InternalRow r, int i) {
    return r.isNullAt(i) ? null : javaString(r.getUTF8String(i));
  }

  /**
   * {@link UTF8String#toString()} without its copy of the bytes first: a string held in a byte
   * array (a row's or an on-heap column's) is decoded where it lies.
   */
  static String javaString(UTF8String u) {
    if (u.getBaseObject() instanceof byte[] bytes) {
      return new String(
          bytes,
          Math.toIntExact(u.getBaseOffset() - Platform.BYTE_ARRAY_OFFSET),
          u.numBytes(),
          StandardCharsets.UTF_8);
    }
    return u.toString();
  }

  /** A timestamp column (microseconds since the epoch, as Spark holds it). */
  static Instant instant(InternalRow r, int i) {
    return r.isNullAt(i) ? null : DateTimeUtils.microsToInstant(r.getLong(i));
  }
}
