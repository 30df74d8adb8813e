package io.touchpoint.batch;

import static org.apache.spark.sql.functions.call_function;

import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.ClickFloodingDetector;
import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.attribution.Retention;
import io.touchpoint.attribution.UserAgentFamily;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Session;
import io.touchpoint.model.TouchType;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.api.java.UDF5;
import org.apache.spark.sql.api.java.UDF6;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * SQL functions that call shared-model's own definitions, so that join keys and report days are
 * computed exactly as the reference does: {@code tp_matchable_aid}, {@code tp_device_key}, {@code
 * tp_ua_family}, {@code tp_is_link}, {@code tp_local_day} (the app's time zone), {@code
 * tp_retention_day} / {@code tp_retention_day_n} ({@link Retention}'s calendar), {@code tp_usd}
 * (the rates table); and the attribute step's match keys ({@link MatchKeys}, as 64-bit hashes:
 * {@link #touchPrimaryKey} ({@code tp_touch_primary_key}), {@code tp_touch_secondary_keys}, {@code
 * tp_device_lookup_key}, {@code tp_candidate_secondary_keys}) and flooding counts ({@link
 * ClickFloodingDetector}: {@code tp_counts_as_click}, {@code tp_counts_for_site}, {@code
 * tp_within_first_hour}).
 */
public final class BatchFunctions {
  private BatchFunctions() {}

  static void register(SparkSession spark, Rules rules, Rates rates) {
    spark
        .udf()
        .register(
            "tp_matchable_aid",
            (UDF1<String, String>)
                aid -> new Device(aid, null, null, null, null, null, null).matchableAdvertisingId(),
            DataTypes.StringType);
    spark
        .udf()
        .register(
            "tp_device_key",
            (UDF2<String, String, String>)
                (aid, vid) -> new Device(aid, vid, null, null, null, null, null).deviceKey(),
            DataTypes.StringType);
    spark
        .udf()
        .register("tp_ua_family", (UDF1<String, String>) UserAgentFamily::of, DataTypes.StringType);
    spark
        .udf()
        .register(
            "tp_is_link",
            (UDF1<String, Boolean>)
                link ->
                    Candidate.isReEngagement(
                        new Session(null, EventType.SESSION, null, null, null, null, link)),
            DataTypes.BooleanType);
    spark
        .udf()
        .register(
            "tp_local_day",
            (UDF2<String, Object, LocalDate>)
                (app, ts) ->
                    ts == null
                        ? null
                        : LocalDate.ofInstant(instant(ts), rules.rulesFor(app).timeZone()),
            DataTypes.DateType);
    spark
        .udf()
        .register(
            "tp_retention_day",
            (UDF2<String, Object, LocalDate>)
                (app, ts) ->
                    ts == null ? null : Retention.calendarDay(instant(ts), rules.rulesFor(app)),
            DataTypes.DateType);
    spark
        .udf()
        .register(
            "tp_retention_day_n",
            (UDF3<String, Object, Object, Long>)
                (app, install, activity) ->
                    install == null || activity == null
                        ? null
                        : Retention.dayN(instant(install), instant(activity), rules.rulesFor(app)),
            DataTypes.LongType);
    spark
        .udf()
        .register(
            "tp_usd",
            (UDF3<Double, String, Object, Double>)
                (amount, currency, day) ->
                    day == null ? null : rates.toUsd(amount, currency, localDate(day)),
            DataTypes.DoubleType);
    registerKeys(spark, rules);
  }

  /**
   * Match keys travel as 64-bit hashes (xxHash64 of the key's UTF-8): a collision only adds touches
   * the engine then ignores (see {@link MatchKeys}), never loses one.
   */
  public static long keyHash(String key) {
    return XXH64.hashUTF8String(UTF8String.fromString(key), KEY_SEED);
  }

  private static final long KEY_SEED = 42L;

  /**
   * The key a device's installs and sessions are walked under: the advertising-id match key when
   * the device has a matchable advertising id (so its touches with that id and its earlier installs
   * meet in one group), else the device operator's key.
   */
  public static String deviceLookupKey(String appId, String advertisingId, String vendorId) {
    String aid = Device.matchable(advertisingId);
    return aid != null
        ? MatchKeys.advertisingId(appId, aid)
        : MatchKeys.device(appId, Device.deviceKey(advertisingId, vendorId));
  }

  private static void registerKeys(SparkSession spark, Rules rules) {
    spark
        .udf()
        .register(
            "tp_touch_secondary_keys",
            (UDF6<String, String, String, String, String, String, List<Long>>)
                (app, type, aid, clickId, ip, ua) ->
                    secondary(
                        MatchKeys.forTouch(
                            app, EventType.CLICK.wireName().equals(type), aid, clickId, ip, ua),
                        aid,
                        app),
            DataTypes.createArrayType(DataTypes.LongType, false));
    spark
        .udf()
        .register(
            "tp_touch_primary_key",
            (UDF2<String, String, Long>) BatchFunctions::touchPrimaryKey,
            DataTypes.LongType);
    spark
        .udf()
        .register(
            "tp_device_lookup_key",
            (UDF3<String, String, String, Long>)
                (app, aid, vid) -> keyHash(deviceLookupKey(app, aid, vid)),
            DataTypes.LongType);
    spark
        .udf()
        .register(
            "tp_candidate_secondary_keys",
            (UDF5<String, String, String, String, String, List<Long>>)
                (app, aid, link, ip, ua) ->
                    secondary(
                        MatchKeys.forCandidate(
                            app, aid, link, ip, ua, rules.rulesFor(app).probabilisticEnabled()),
                        aid,
                        app),
            DataTypes.createArrayType(DataTypes.LongType, false));
    spark
        .udf()
        .register(
            "tp_counts_as_click",
            (UDF2<String, String, Boolean>)
                (type, clickId) ->
                    ClickFloodingDetector.countsAsClick(
                        EventType.CLICK.wireName().equals(type), clickId),
            DataTypes.BooleanType);
    spark
        .udf()
        .register(
            "tp_counts_for_site",
            (UDF4<String, String, String, String, Boolean>)
                (touchType, site, kind, outcome) ->
                    ClickFloodingDetector.countsForSite(
                        touchType == null ? null : TouchType.valueOf(touchType),
                        site,
                        kind == null ? null : AttributionKind.valueOf(kind),
                        outcome == null ? null : Outcome.valueOf(outcome)),
            DataTypes.BooleanType);
    spark
        .udf()
        .register(
            "tp_within_first_hour",
            (UDF1<Long, Boolean>) ClickFloodingDetector::withinFirstHour,
            DataTypes.BooleanType);
  }

  /**
   * A touch's walk key: the hash of its advertising-id match key, null when its advertising id is
   * not matchable (such a touch is only found under its other keys).
   */
  public static Long touchPrimaryKey(String appId, String advertisingId) {
    String matchable = Device.matchable(advertisingId);
    return matchable == null ? null : keyHash(MatchKeys.advertisingId(appId, matchable));
  }

  /**
   * The hashes of the keys other than the advertising-id key (that one is the walk's primary key).
   */
  private static List<Long> secondary(List<String> keys, String aid, String app) {
    String matchable = Device.matchable(aid);
    String primary = matchable == null ? null : MatchKeys.advertisingId(app, matchable);
    return keys.stream().filter(k -> !k.equals(primary)).map(BatchFunctions::keyHash).toList();
  }

  public static Column touchSecondaryKeys(
      Column app, Column type, Column aid, Column clickId, Column ip, Column ua) {
    return call_function("tp_touch_secondary_keys", app, type, aid, clickId, ip, ua);
  }

  /** {@link #touchPrimaryKey(String, String)} as a column (silver touchpoints' walk_key). */
  public static Column touchPrimaryKey(Column app, Column aid) {
    return call_function("tp_touch_primary_key", app, aid);
  }

  public static Column deviceLookupKey(Column app, Column aid, Column vid) {
    return call_function("tp_device_lookup_key", app, aid, vid);
  }

  public static Column candidateSecondaryKeys(
      Column app, Column aid, Column link, Column ip, Column ua) {
    return call_function("tp_candidate_secondary_keys", app, aid, link, ip, ua);
  }

  public static Column countsAsClick(Column type, Column clickId) {
    return call_function("tp_counts_as_click", type, clickId);
  }

  public static Column countsForSite(Column touchType, Column site, Column kind, Column outcome) {
    return call_function("tp_counts_for_site", touchType, site, kind, outcome);
  }

  public static Column withinFirstHour(Column ctitSeconds) {
    return call_function("tp_within_first_hour", ctitSeconds);
  }

  public static Instant instant(Object ts) {
    if (ts == null) {
      return null;
    }
    return ts instanceof Timestamp t ? t.toInstant() : (Instant) ts;
  }

  static LocalDate localDate(Object d) {
    return d instanceof java.sql.Date s ? s.toLocalDate() : (LocalDate) d;
  }

  public static Column matchableAid(Column aid) {
    return call_function("tp_matchable_aid", aid);
  }

  public static Column deviceKey(Column aid, Column vid) {
    return call_function("tp_device_key", aid, vid);
  }

  public static Column uaFamily(Column ua) {
    return call_function("tp_ua_family", ua);
  }

  public static Column isLink(Column link) {
    return call_function("tp_is_link", link);
  }

  public static Column localDay(Column app, Column ts) {
    return call_function("tp_local_day", app, ts);
  }

  public static Column usd(Column amount, Column currency, Column day) {
    return call_function("tp_usd", amount, currency, day);
  }
}
