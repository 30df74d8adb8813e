package io.touchpoint.batch;

import static org.apache.spark.sql.functions.call_function;

import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.Retention;
import io.touchpoint.attribution.UserAgentFamily;
import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Session;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;

/**
 * SQL functions that call shared-model's own definitions, so that join keys and report days are
 * computed exactly as the reference does: {@code tp_matchable_aid}, {@code tp_device_key},
 * {@code tp_ua_family}, {@code tp_is_link}, {@code tp_local_day} (the app's time zone),
 * {@code tp_retention_day} / {@code tp_retention_day_n} ({@link Retention}'s calendar) and
 * {@code tp_usd} (the rates table).
 */
public final class BatchFunctions {
  private BatchFunctions() {}

  static void register(SparkSession spark, Rules rules, Rates rates) {
    spark.udf().register("tp_matchable_aid",
        (UDF1<String, String>) aid -> new Device(aid, null, null, null, null, null, null).matchableAdvertisingId(),
        DataTypes.StringType);
    spark.udf().register("tp_device_key",
        (UDF2<String, String, String>) (aid, vid) -> new Device(aid, vid, null, null, null, null, null).deviceKey(),
        DataTypes.StringType);
    spark.udf().register("tp_ua_family", (UDF1<String, String>) UserAgentFamily::of, DataTypes.StringType);
    spark.udf().register("tp_is_link",
        (UDF1<String, Boolean>) link -> Candidate.isReEngagement(
            new Session(null, EventType.SESSION, null, null, null, null, link)),
        DataTypes.BooleanType);
    spark.udf().register("tp_local_day",
        (UDF2<String, Object, LocalDate>) (app, ts) -> ts == null ? null
            : LocalDate.ofInstant(instant(ts), rules.rulesFor(app).timeZone()),
        DataTypes.DateType);
    spark.udf().register("tp_retention_day",
        (UDF2<String, Object, LocalDate>) (app, ts) -> ts == null ? null
            : Retention.calendarDay(instant(ts), rules.rulesFor(app)),
        DataTypes.DateType);
    spark.udf().register("tp_retention_day_n",
        (UDF3<String, Object, Object, Long>) (app, install, activity) -> install == null || activity == null ? null
            : Retention.dayN(instant(install), instant(activity), rules.rulesFor(app)),
        DataTypes.LongType);
    spark.udf().register("tp_usd",
        (UDF3<Double, String, Object, Double>) (amount, currency, day) -> day == null ? null
            : rates.toUsd(amount, currency, localDate(day)),
        DataTypes.DoubleType);
  }

  static Instant instant(Object ts) {
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
