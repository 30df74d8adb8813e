package io.touchpoint.model.spark;

import static org.apache.spark.sql.types.DataTypes.BinaryType;
import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark schemas of the contract's tables (bronze/silver and outputs). Column names are the wire
 * names; the device block is flattened into {@code device_*} columns so that filters, partitioning
 * and exports to ClickHouse/Druid see plain columns. Timestamps are TimestampType (UTC instants),
 * enums are strings (wire name for event_type, else the enum name). A column is non-nullable
 * exactly when the contract requires the field. Layers may append their own columns (ingest
 * metadata, partition date) after these.
 */
public final class ContractSchemas {

  private static final StructField[] COMMON = {
    required("event_id", StringType),
    required("event_type", StringType),
    required("app_id", StringType),
    required("event_time", TimestampType),
    required("received_at", TimestampType),
    optional("device_advertising_id", StringType),
    optional("device_vendor_id", StringType),
    optional("device_ip", StringType),
    optional("device_user_agent", StringType),
    required("device_platform", StringType),
    optional("device_os_version", StringType),
    optional("device_country", StringType),
  };

  /** Impressions and clicks. */
  public static final StructType TOUCHPOINTS =
      common(
          required("media_source", StringType),
          required("campaign_id", StringType),
          optional("campaign", StringType),
          optional("adset", StringType),
          optional("ad", StringType),
          optional("site_id", StringType),
          optional("click_id", StringType),
          required("retargeting", BooleanType),
          optional("cost_model", StringType),
          optional("cost_value", DoubleType),
          optional("cost_currency", StringType));

  /** Installs, sessions and in-app events in one table; type-specific columns are nullable. */
  public static final StructType APP_EVENTS =
      common(
          optional("referrer_click_id", StringType),
          optional("install_begin_time", TimestampType),
          optional("sdk_version", StringType),
          optional("deep_link_click_id", StringType),
          optional("event_name", StringType),
          optional("revenue", DoubleType),
          optional("currency", StringType));

  public static final StructType CONTRIBUTOR =
      new StructType(
          new StructField[] {
            required("media_source", StringType),
            optional("campaign_id", StringType),
            optional("site_id", StringType),
            optional("touch_type", StringType),
            optional("match_type", StringType),
            optional("touch_event_id", StringType),
            optional("touch_time", TimestampType),
          });

  public static final StructType ATTRIBUTIONS =
      new StructType(
          new StructField[] {
            required("attribution_id", StringType),
            required("candidate_event_id", StringType),
            required("app_id", StringType),
            required("kind", StringType),
            required("outcome", StringType),
            required("event_time", TimestampType),
            required("received_at", TimestampType),
            optional("device_key", StringType),
            optional("platform", StringType),
            optional("country", StringType),
            optional("media_source", StringType),
            optional("campaign_id", StringType),
            optional("campaign", StringType),
            optional("adset", StringType),
            optional("site_id", StringType),
            required("match_type", StringType),
            required("touch_type", StringType),
            optional("touch_event_id", StringType),
            optional("touch_time", TimestampType),
            optional("ctit_seconds", LongType),
            required("contributors", DataTypes.createArrayType(CONTRIBUTOR, false)),
            required("fraud_reasons", DataTypes.createArrayType(StringType, false)),
            required("re_engagement", BooleanType),
          });

  public static final StructType ATTRIBUTED_EVENTS =
      new StructType(
          new StructField[] {
            required("event_id", StringType),
            required("app_id", StringType),
            required("event_name", StringType),
            required("event_time", TimestampType),
            required("received_at", TimestampType),
            optional("device_key", StringType),
            optional("platform", StringType),
            optional("country", StringType),
            optional("revenue", DoubleType),
            optional("currency", StringType),
            optional("install_attribution_id", StringType),
            optional("install_time", TimestampType),
            optional("install_outcome", StringType),
            optional("media_source", StringType),
            optional("campaign_id", StringType),
            optional("re_engagement_attribution_id", StringType),
            optional("re_engagement_media_source", StringType),
            optional("re_engagement_campaign_id", StringType),
          });

  public static final StructType DEAD_LETTERS =
      new StructType(
          new StructField[] {
            required("raw_payload", BinaryType),
            required("reason_codes", DataTypes.createArrayType(StringType, false)),
            required("reason_details", DataTypes.createArrayType(StringType, false)),
            optional("source_topic", StringType),
            optional("source_partition", IntegerType),
            optional("source_offset", LongType),
            required("dead_lettered_at", TimestampType),
          });

  private ContractSchemas() {}

  private static StructType common(StructField... specific) {
    List<StructField> fields = new ArrayList<>(Arrays.asList(COMMON));
    fields.addAll(Arrays.asList(specific));
    return new StructType(fields.toArray(StructField[]::new));
  }

  private static StructField required(String name, DataType type) {
    return DataTypes.createStructField(name, type, false);
  }

  private static StructField optional(String name, DataType type) {
    return DataTypes.createStructField(name, type, true);
  }
}
