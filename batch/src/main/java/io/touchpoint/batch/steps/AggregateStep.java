package io.touchpoint.batch.steps;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.touchpoint.attribution.Retention;
import io.touchpoint.batch.BatchContext;
import io.touchpoint.batch.BatchTables;
import io.touchpoint.batch.Lake;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractSchemas;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Gold tables for day D. Every gold row is the contribution of D's silver partition (installs,
 * events, sessions whose UTC event day is D), bucketed by calendar day in the app's time zone; so
 * each table is partitioned by the UTC {@code event_date} it was computed from, a rerun replaces
 * exactly that partition, and a report sums over partitions (a local day can draw on two UTC days).
 * Money is DECIMAL(38,6): sums are exact, so reruns are identical to the bit.
 *
 * <p>Retention is {@link Retention}'s rule through the {@code tp_retention_day} and {@code
 * tp_retention_day_n} functions: each session belongs to the device's latest install or
 * re-attribution at or before it; a cohort counts once per reported day N, in the UTC partition of
 * the first session that makes it retained on that day.
 */
public final class AggregateStep {
  /** The day-N retention points ({@link Retention#REPORTED_DAYS}). */
  public static final List<Integer> RETENTION_DAYS = Retention.REPORTED_DAYS;

  /** Money columns: exact sums. */
  public static final String MONEY = "DECIMAL(38,6)";

  /** The step's temporary views, dropped when it ends. */
  private static final List<String> VIEWS =
      List.of("tp_attributions_day", "tp_cohort_installs", "tp_events_day", "tp_sessions");

  private AggregateStep() {}

  public static Map<String, Long> run(BatchContext ctx, LocalDate day) {
    return run(ctx, day, false);
  }

  /**
   * @param export also write each gold table's day as its export ({@link ExportStep}) from the rows
   *     just computed: when both steps run in one session, the export then needs no re-read of the
   *     tables just written (a Delta snapshot rebuild and file listing per table)
   */
  public static Map<String, Long> run(BatchContext ctx, LocalDate day, boolean export) {
    ctx.mark();
    SparkSession spark = ctx.spark();
    Lake lake = ctx.lake();
    String d = "DATE'" + day + "'";
    // D's verdicts feed three gold tables and D's credited events two: each is read once and kept
    // for the step (one Delta file listing and scan each, not one per query)
    List<Dataset<Row>> cached = new ArrayList<>();
    keep(
        lake.readOrEmpty(LakeTables.SILVER_ATTRIBUTIONS, AttributeStep.SILVER_ATTRIBUTIONS),
        day,
        "tp_attributions_day",
        cached);
    lake.readOrEmpty(LakeTables.SILVER_ATTRIBUTIONS, AttributeStep.SILVER_ATTRIBUTIONS)
        .where(
            Lake.daysBetween(day.minusDays(RETENTION_DAYS.get(RETENTION_DAYS.size() - 1) + 2), day))
        .where(col("kind").isin("INSTALL", "RE_ATTRIBUTION"))
        .createOrReplaceTempView("tp_cohort_installs");
    keep(
        lake.readOrEmpty(LakeTables.SILVER_ATTRIBUTED_EVENTS, ContractSchemas.ATTRIBUTED_EVENTS),
        day,
        "tp_events_day",
        cached);
    lake.readOrEmpty(LakeTables.SILVER_APP_EVENTS, ContractSchemas.APP_EVENTS)
        .where(Lake.daysBetween(day.minusDays(1), day))
        .where(col("event_type").equalTo("session"))
        .createOrReplaceTempView("tp_sessions");

    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(
        BatchTables.GOLD_INSTALLS,
        spark.sql(
            """
        SELECT app_id, tp_local_day(app_id, event_time) AS day,
               coalesce(media_source, 'organic') AS media_source, campaign_id, country, platform,
               SUM(IF(kind = 'INSTALL' AND outcome IN ('ATTRIBUTED', 'ORGANIC'), 1, 0)) AS installs,
               SUM(IF(kind = 'INSTALL' AND outcome = 'ORGANIC', 1, 0)) AS organic_installs,
               SUM(IF(kind = 'RE_ATTRIBUTION' AND outcome = 'ATTRIBUTED', 1, 0)) AS re_attributions,
               SUM(IF(kind = 'REINSTALL', 1, 0)) AS reinstalls,
               SUM(IF(kind = 'RE_ENGAGEMENT' AND outcome = 'ATTRIBUTED', 1, 0)) AS re_engagements,
               SUM(IF(outcome = 'REJECTED', 1, 0)) AS rejected,
               SUM(IF(array_contains(fraud_reasons, 'CTIT_BELOW_THRESHOLD'), 1, 0)) AS rejected_ctit,
               SUM(IF(array_contains(fraud_reasons, 'CLICK_AFTER_INSTALL_BEGIN'), 1, 0)) AS rejected_click_injection,
               SUM(IF(array_contains(fraud_reasons, 'CLICK_FLOODING_SITE'), 1, 0)) AS rejected_click_flooding
        FROM tp_attributions_day
        WHERE NOT (kind = 'RE_ENGAGEMENT' AND outcome <> 'ATTRIBUTED')
        GROUP BY 1, 2, 3, 4, 5, 6
        """));
    tables.put(
        BatchTables.GOLD_EVENTS,
        spark.sql(
            """
        SELECT app_id, day, source AS media_source, campaign_id, country, platform, event_name, currency,
               COUNT(*) AS events,
               COUNT(revenue) AS revenue_events,
               SUM(CAST(revenue AS %1$s)) AS revenue,
               SUM(CAST(revenue_usd AS %1$s)) AS revenue_usd,
               SUM(IF(revenue IS NOT NULL AND revenue_usd IS NULL, 1, 0)) AS unconverted_events,
               SUM(IF(re_engagement_attribution_id IS NOT NULL, 1, 0)) AS re_engaged_events
        FROM (SELECT *, coalesce(media_source, 'organic') AS source, tp_local_day(app_id, event_time) AS day,
                     tp_usd(revenue, currency, tp_local_day(app_id, event_time)) AS revenue_usd
              FROM tp_events_day)
        GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
        """
                .formatted(MONEY)));
    tables.put(
        BatchTables.GOLD_RETENTION,
        spark.sql(
            """
        WITH cohort AS (
          SELECT app_id, tp_retention_day(app_id, event_time) AS cohort_day,
                 IF(outcome = 'ATTRIBUTED', media_source, 'organic') AS media_source,
                 IF(outcome = 'ATTRIBUTED', campaign_id, NULL) AS campaign_id, country, platform,
                 0 AS day_n, COUNT(*) AS users
          FROM tp_attributions_day WHERE kind IN ('INSTALL', 'RE_ATTRIBUTION')
          GROUP BY 1, 2, 3, 4, 5, 6),
        s AS (
          SELECT app_id, tp_device_key(device_advertising_id, device_vendor_id) AS device_key, event_id, event_time,
                 event_date
          FROM tp_sessions),
        matched AS (
          SELECT s.app_id, s.device_key, s.event_time, s.event_date, c.candidate_event_id,
                 c.event_time AS install_time, c.outcome, c.media_source, c.campaign_id, c.country, c.platform,
                 ROW_NUMBER() OVER (PARTITION BY s.app_id, s.event_id
                                    ORDER BY c.event_time DESC, c.candidate_event_id DESC) AS rn
          FROM s JOIN tp_cohort_installs c
            ON s.app_id = c.app_id AND s.device_key = c.device_key AND c.event_time <= s.event_time),
        owned AS (
          SELECT *, CAST(tp_retention_day_n(app_id, install_time, event_time) AS INT) AS day_n FROM matched WHERE rn = 1),
        first_of_day AS (
          SELECT app_id, candidate_event_id, install_time, outcome, media_source, campaign_id, country, platform,
                 day_n, MIN(event_date) AS first_date
          FROM owned WHERE day_n IN (%2$s)
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9),
        retained AS (
          SELECT app_id, tp_retention_day(app_id, install_time) AS cohort_day,
                 IF(outcome = 'ATTRIBUTED', media_source, 'organic') AS media_source,
                 IF(outcome = 'ATTRIBUTED', campaign_id, NULL) AS campaign_id, country, platform, day_n
          FROM first_of_day WHERE first_date = %1$s)
        SELECT * FROM cohort
        UNION ALL
        SELECT app_id, cohort_day, media_source, campaign_id, country, platform, day_n, COUNT(*) AS users
        FROM retained
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        """
                .formatted(d, joined(RETENTION_DAYS))));
    tables.put(
        BatchTables.GOLD_LTV,
        spark.sql(
            """
        SELECT app_id, cohort_day, source AS media_source, campaign_id, country, platform,
               DATEDIFF(day, cohort_day) AS age_days,
               COUNT(*) AS events, COUNT(revenue) AS revenue_events,
               SUM(CAST(tp_usd(revenue, currency, day) AS %1$s)) AS revenue_usd
        FROM (SELECT *, coalesce(media_source, 'organic') AS source,
                     tp_local_day(app_id, install_time) AS cohort_day, tp_local_day(app_id, event_time) AS day
              FROM tp_events_day
              WHERE install_attribution_id IS NOT NULL)
        GROUP BY 1, 2, 3, 4, 5, 6, 7
        """
                .formatted(MONEY)));
    tables.put(
        BatchTables.GOLD_CTIT,
        spark.sql(
            """
        SELECT app_id, tp_local_day(app_id, event_time) AS day, media_source, site_id,
               CASE WHEN ctit_seconds < 10 THEN '0-10s' WHEN ctit_seconds < 60 THEN '10s-1m'
                    WHEN ctit_seconds < 600 THEN '1m-10m' WHEN ctit_seconds < 3600 THEN '10m-1h'
                    WHEN ctit_seconds < 21600 THEN '1h-6h' WHEN ctit_seconds < 86400 THEN '6h-24h'
                    WHEN ctit_seconds < 259200 THEN '1d-3d' WHEN ctit_seconds < 604800 THEN '3d-7d'
                    ELSE '7d+' END AS bucket,
               CASE WHEN ctit_seconds < 10 THEN 0 WHEN ctit_seconds < 60 THEN 10 WHEN ctit_seconds < 600 THEN 60
                    WHEN ctit_seconds < 3600 THEN 600 WHEN ctit_seconds < 21600 THEN 3600
                    WHEN ctit_seconds < 86400 THEN 21600 WHEN ctit_seconds < 259200 THEN 86400
                    WHEN ctit_seconds < 604800 THEN 259200 ELSE 604800 END AS bucket_start_seconds,
               COUNT(*) AS installs,
               SUM(IF(outcome = 'REJECTED', 1, 0)) AS rejected
        FROM tp_attributions_day
        WHERE touch_type = 'CLICK' AND kind IN ('INSTALL', 'RE_ATTRIBUTION') AND ctit_seconds IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        """));

    Map<String, Long> rows = new LinkedHashMap<>();
    try {
      // a table each, a commit each (and its export): written at once (concurrent-writes)
      List<java.util.concurrent.Callable<Long>> writes = new ArrayList<>();
      for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
        writes.add(
            () -> {
              Dataset<Row> data =
                  t.getValue().withColumn(LakeTables.EVENT_DATE, lit(java.sql.Date.valueOf(day)));
              if (export) {
                data = data.persist(StorageLevel.MEMORY_AND_DISK());
              }
              try {
                long n = lake.replaceDays(data, BatchTables.gold(t.getKey()), List.of(day));
                if (export) {
                  ExportStep.write(ctx, t.getKey(), day, data);
                }
                return n;
              } finally {
                if (export) {
                  data.unpersist();
                }
              }
            });
      }
      List<Long> written = ctx.all(writes);
      int i = 0;
      for (String table : tables.keySet()) {
        rows.put(table, written.get(i++));
      }
    } finally {
      for (String view : VIEWS) {
        spark.catalog().dropTempView(view);
      }
      cached.forEach(Dataset::unpersist);
    }
    ctx.log("aggregate %s: gold rows %s", day, rows);
    if (export) {
      ExportStep.logDone(ctx, day, rows.keySet());
    }
    return rows;
  }

  /** D's rows of {@code table} as the view {@code name}, kept (persisted) for the step. */
  private static void keep(
      Dataset<Row> table, LocalDate day, String name, List<Dataset<Row>> cached) {
    Dataset<Row> rows = table.where(Lake.day(day)).persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(rows);
    rows.createOrReplaceTempView(name);
  }

  private static String joined(List<Integer> values) {
    return String.join(", ", values.stream().map(String::valueOf).toList());
  }
}
