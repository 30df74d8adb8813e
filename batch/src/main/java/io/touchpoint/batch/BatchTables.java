package io.touchpoint.batch;

import io.touchpoint.model.LakeTables;
import java.util.List;

/**
 * The tables the batch layer owns beside the shared {@link LakeTables} ones. Every table is a Delta
 * table partitioned by {@link LakeTables#EVENT_DATE}; a step replaces exactly the partitions of the
 * days it computes.
 */
public final class BatchTables {
  /**
   * Days whose silver changed after their own run (late arrivals), one row per (day, marking run).
   */
  public static final String RECOMPUTE_MARKS = "silver/recompute_marks";

  /** The whole-day click-flooding statistics per (app, site) and whether the site was flagged. */
  public static final String SITE_DAY_STATS = "silver/site_day_stats";

  public static final String GOLD_INSTALLS = "daily_installs";
  public static final String GOLD_EVENTS = "daily_events";
  public static final String GOLD_RETENTION = "retention";
  public static final String GOLD_LTV = "ltv";
  public static final String GOLD_CTIT = "ctit_histogram";

  /**
   * Gold table names, each stored under {@code gold/<name>} and exported under {@code
   * export/gold/<name>}.
   */
  public static final List<String> GOLD =
      List.of(GOLD_INSTALLS, GOLD_EVENTS, GOLD_RETENTION, GOLD_LTV, GOLD_CTIT);

  /**
   * The reconciliation summary of a day, exported under {@code export/gold/<name>} for the serving
   * layer.
   */
  public static final String SPEED_VS_BATCH_EXPORT = "speed_vs_batch";

  public static final String RECONCILIATION_DIFFERENCES =
      LakeTables.RECONCILIATION + "/differences";
  public static final String RECONCILIATION_SUMMARY = LakeTables.RECONCILIATION + "/summary";

  private BatchTables() {}

  public static String gold(String name) {
    return LakeTables.GOLD + "/" + name;
  }

  public static String export(String name) {
    return LakeTables.GOLD_EXPORT + "/" + name;
  }
}
