package io.touchpoint.model;

/**
 * Where each layer's Delta tables live under the lake root (e.g. {@code s3a://touchpoint-lake}),
 * the contract between the speed layer, the batch layer and the serving loads. Every table of
 * events is partitioned by {@link #EVENT_DATE}, the UTC date of {@code event_time}.
 */
public final class LakeTables {
  /** Partition column: UTC calendar date of the event's {@code event_time}. */
  public static final String EVENT_DATE = "event_date";

  /** Raw valid events as the stream received them (append only, duplicates included). */
  public static final String BRONZE_TOUCHPOINTS = "bronze/touchpoints";

  public static final String BRONZE_APP_EVENTS = "bronze/app_events";

  /** Where the speed layer read a bronze row (after the contract columns and event_date). */
  public static final String BRONZE_KAFKA_PARTITION = "_kafka_partition";

  public static final String BRONZE_KAFKA_OFFSET = "_kafka_offset";

  /** Invalid input with raw bytes and reasons (partitioned by dead-letter date). */
  public static final String QUARANTINE = "quarantine/dead_letters";

  /** The speed layer's verdicts and credited events (near real time, first arrival wins). */
  public static final String SPEED_ATTRIBUTIONS = "speed/attributions";

  public static final String SPEED_ATTRIBUTED_EVENTS = "speed/attributed_events";

  /** The batch layer's de-duplicated events and authoritative verdicts, one partition per day. */
  public static final String SILVER_TOUCHPOINTS = "silver/touchpoints";

  public static final String SILVER_APP_EVENTS = "silver/app_events";
  public static final String SILVER_ATTRIBUTIONS = "silver/attributions";
  public static final String SILVER_ATTRIBUTED_EVENTS = "silver/attributed_events";

  /**
   * Gold aggregates live under this prefix, one folder per table; a Parquet export per day beside.
   */
  public static final String GOLD = "gold";

  public static final String GOLD_EXPORT = "export/gold";
  public static final String RECONCILIATION = "reconciliation";

  private LakeTables() {}

  /** The table's location under a lake root, without a doubled slash. */
  public static String path(String lakeRoot, String table) {
    return lakeRoot.endsWith("/") ? lakeRoot + table : lakeRoot + "/" + table;
  }
}
