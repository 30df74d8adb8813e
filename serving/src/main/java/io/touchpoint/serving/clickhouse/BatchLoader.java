package io.touchpoint.serving.clickhouse;

import io.touchpoint.serving.Resources;
import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.ServingException;
import io.touchpoint.serving.Template;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Loads day D of every gold table into ClickHouse: ClickHouse itself reads the batch layer's
 * Parquet export from the lake ({@code s3()} table function) into a staging table, checks it, and
 * swaps it in with {@code ALTER TABLE ... REPLACE PARTITION} (atomic for readers; a rerun replaces
 * again), then records the load in {@code batch_loads}, which moves the table's watermark.
 */
public final class BatchLoader {
  /** The gold tables, in load order (the batch layer's BatchTables.GOLD). */
  public static final List<String> TABLES =
      List.of("daily_installs", "daily_events", "retention", "ltv", "ctit_histogram");

  /**
   * Report tables loaded after the gold when the batch exported them: speed vs batch agreement (the
   * reconcile step's summary; a batch run without that step has none, which is no error).
   */
  public static final List<String> OPTIONAL_TABLES = List.of("speed_vs_batch");

  /**
   * Rollups refreshed after their gold table's load (migration 0006,
   * clickhouse/rollups/ROLLUP.sql): gold table -> rollup partitioned by the cohort's month.
   */
  public static final Map<String, String> ROLLUPS =
      Map.of("ltv", "ltv_cohort", "retention", "retention_cohort");

  private final ClickHouseHttp ch;
  private final ServingConfig config;
  private final Consumer<String> log;

  public BatchLoader(ClickHouseHttp ch, ServingConfig config, Consumer<String> log) {
    this.ch = ch;
    this.config = config;
    this.log = log;
  }

  /** Rows and time per table. */
  public record TableLoad(String table, long rows, long millis) {}

  public record Report(LocalDate day, List<TableLoad> tables, long millis) {
    public long rows() {
      return tables.stream().mapToLong(TableLoad::rows).sum();
    }
  }

  /** The lake URL of a gold table's export for day D (a glob over its Parquet files). */
  public String exportUrl(String table, LocalDate day) {
    return config.lakeEndpoint()
        + "/"
        + config.lakeBucket()
        + "/"
        + config.goldExportPrefix()
        + "/"
        + table
        + "/date="
        + day
        + "/*.parquet";
  }

  /** {@code s3('url', 'key', 'secret', 'Format')}, or without keys when none are configured. */
  public static String s3(ServingConfig c, String url, String format) {
    String keys =
        c.lakeAccessKey().isBlank()
            ? ""
            : "'"
                + Template.sqlString(c.lakeAccessKey())
                + "', '"
                + Template.sqlString(c.lakeSecretKey())
                + "', ";
    return "s3('" + Template.sqlString(url) + "', " + keys + "'" + format + "')";
  }

  /** The SELECT that reads and shapes one gold table's day (clickhouse/load/TABLE.sql). */
  public String selectSql(String table, LocalDate day) {
    return Template.fill(
        Resources.text("clickhouse/load/" + table + ".sql"),
        Map.of("source", s3(config, exportUrl(table, day), "Parquet"), "date", day.toString()));
  }

  public Report load(LocalDate day) {
    long t0 = System.nanoTime();
    syncFxRates();
    List<TableLoad> loads = new ArrayList<>();
    for (String table : TABLES) {
      loads.add(loadTable(table, day));
    }
    for (String table : OPTIONAL_TABLES) {
      try {
        loads.add(loadTable(table, day));
      } catch (MissingExportException e) {
        log.accept(String.format("clickhouse: %-15s %s  skipped: %s", table, day, e.getMessage()));
      }
    }
    return new Report(day, loads, (System.nanoTime() - t0) / 1_000_000);
  }

  public TableLoad loadTable(String table, LocalDate day) {
    long t0 = System.nanoTime();
    String db = config.database();
    boolean clustered = !config.cluster().isBlank();
    String target = db + "." + table + (clustered ? "_local" : "");
    String staging = db + "." + table + "_staging_" + day.toString().replace("-", "");
    String[] keys = keys(db, table + (clustered ? "_local" : ""));
    ch.execute("DROP TABLE IF EXISTS " + staging);
    ch.execute(
        "CREATE TABLE "
            + staging
            + " AS "
            + target
            + " ENGINE = MergeTree PARTITION BY "
            + keys[0]
            + " ORDER BY ("
            + keys[1]
            + ")");
    try {
      try {
        ch.execute("INSERT INTO " + staging + "\n" + selectSql(table, day));
      } catch (ClickHouseException e) {
        if (e.getMessage().contains("no files")
            || e.getMessage().contains("CANNOT_EXTRACT_TABLE_STRUCTURE")
            || e.getMessage().contains("The specified key does not exist")
            || e.code() == 636
            || e.code() == 107) {
          throw new MissingExportException(
              "no gold export of "
                  + table
                  + " for "
                  + day
                  + " at "
                  + exportUrl(table, day)
                  + " (has the batch run for "
                  + day
                  + "?)",
              e);
        }
        throw e;
      }
      String[] check =
          ch.scalar("SELECT count(), countIf(event_date != toDate('" + day + "')) FROM " + staging)
              .split("\t");
      long rows = Long.parseLong(check[0]);
      if (!"0".equals(check[1])) {
        throw new ServingException(
            check[1] + " rows of " + table + " staged for " + day + " belong to another day");
      }
      ch.execute("ALTER TABLE " + target + " REPLACE PARTITION '" + day + "' FROM " + staging);
      if (rows == 0) {
        // nothing staged: make sure the day is empty in the target too
        ch.execute("ALTER TABLE " + target + " DROP PARTITION '" + day + "'");
      }
      ch.execute(
          "INSERT INTO "
              + db
              + ".batch_loads (table_name, day, rows, source, load_id, loaded_at) VALUES ('"
              + table
              + "', '"
              + day
              + "', "
              + rows
              + ", '"
              + Template.sqlString(exportUrl(table, day))
              + "', '"
              + UUID.randomUUID()
              + "', now64(3))");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      log.accept(String.format("clickhouse: %-15s %s  %,8d rows  %5d ms", table, day, rows, ms));
      if (ROLLUPS.containsKey(table)) {
        refreshRollup(table, day);
      }
      return new TableLoad(table, rows, ms);
    } finally {
      ch.execute("DROP TABLE IF EXISTS " + staging);
    }
  }

  /**
   * Replaces day D's contribution to the rollup of a gold table: for every cohort month D touches
   * (in the gold now or in the rollup before), a staging copy of the month gets the month's other
   * days from the rollup plus D's rows summed from the gold, and is swapped in with REPLACE
   * PARTITION. Readers see the old or the new month, never a half; a rerun gives the same month.
   */
  public void refreshRollup(String table, LocalDate day) {
    long t0 = System.nanoTime();
    String db = config.database();
    String suffix = config.cluster().isBlank() ? "" : "_local";
    String rollup = db + "." + ROLLUPS.get(table) + suffix;
    String source = db + "." + table + suffix;
    String months =
        ch.execute(
            "SELECT DISTINCT toYYYYMM(cohort_day) FROM "
                + source
                + " WHERE event_date = '"
                + day
                + "' UNION DISTINCT SELECT DISTINCT toYYYYMM(cohort_day) FROM "
                + rollup
                + " WHERE event_date = '"
                + day
                + "' FORMAT TabSeparated");
    int n = 0;
    for (String month : months.split("\n")) {
      if (month.isBlank()) {
        continue;
      }
      String staging = rollup + "_staging_" + day.toString().replace("-", "") + "_" + month.strip();
      ch.execute("DROP TABLE IF EXISTS " + staging);
      ch.execute("CREATE TABLE " + staging + " AS " + rollup);
      try {
        ch.execute(
            "INSERT INTO "
                + staging
                + " SELECT * FROM "
                + rollup
                + " WHERE toYYYYMM(cohort_day) = "
                + month.strip()
                + " AND event_date != '"
                + day
                + "'");
        ch.execute(
            "INSERT INTO "
                + staging
                + "\n"
                + Template.fill(
                    Resources.text("clickhouse/rollups/" + ROLLUPS.get(table) + ".sql"),
                    Map.of("source", source, "date", day.toString(), "month", month.strip())));
        if ("0".equals(ch.scalar("SELECT count() FROM " + staging).strip())) {
          ch.execute("ALTER TABLE " + rollup + " DROP PARTITION " + month.strip());
        } else {
          ch.execute(
              "ALTER TABLE " + rollup + " REPLACE PARTITION " + month.strip() + " FROM " + staging);
        }
        n++;
      } finally {
        ch.execute("DROP TABLE IF EXISTS " + staging);
      }
    }
    log.accept(
        String.format(
            "clickhouse: %-15s %s  %d cohort month(s) rebuilt  %5d ms",
            ROLLUPS.get(table), day, n, (System.nanoTime() - t0) / 1_000_000));
  }

  /** The batch has not exported this table's day (yet). */
  public static final class MissingExportException extends ServingException {
    private static final long serialVersionUID = 1L;

    MissingExportException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Partition key and sorting key of a table, so the staging table matches it exactly. */
  private String[] keys(String db, String table) {
    String row =
        ch.scalar(
            "SELECT partition_key, sorting_key FROM system.tables WHERE database = '"
                + Template.sqlString(db)
                + "' AND name = '"
                + Template.sqlString(table)
                + "'");
    if (row.isBlank()) {
      throw new ServingException(
          "table " + db + "." + table + " does not exist: run `serve migrate` first");
    }
    String[] f = row.split("\t", -1);
    return new String[] {f[0], f[1]};
  }

  /**
   * The batch layer's currency rates ({@code fx-rates.csv} on the classpath: the batch module's,
   * when the launcher runs) into {@code fx_rates}, so realtime revenue converts like the batch.
   */
  public int syncFxRates() {
    if (!Resources.exists("fx-rates.csv")) {
      return 0;
    }
    return insertFxRates(Resources.text("fx-rates.csv"));
  }

  public int insertFxRates(String csv) {
    StringBuilder values = new StringBuilder();
    int n = 0;
    for (String line : csv.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#") || l.startsWith("currency,")) {
        continue;
      }
      String[] f = l.split(",");
      if (f.length < 3 || !f[0].strip().matches("[A-Z]{3}")) {
        continue;
      }
      values
          .append(n++ == 0 ? "" : ", ")
          .append("('")
          .append(f[0].strip())
          .append("', '")
          .append(LocalDate.parse(f[2].strip()))
          .append("', ")
          .append(Double.parseDouble(f[1].strip()))
          .append(')');
    }
    if (n > 0) {
      ch.execute(
          "INSERT INTO "
              + config.database()
              + ".fx_rates (currency, valid_from, rate_to_usd) VALUES "
              + values);
    }
    return n;
  }

  /** The watermark of each gold table (latest day loaded), for status lines. */
  public Map<String, String> watermarks() {
    Map<String, String> out = new LinkedHashMap<>();
    String body =
        ch.execute(
            "SELECT table_name, watermark FROM "
                + config.database()
                + ".batch_watermark ORDER BY table_name FORMAT TabSeparated");
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.split("\t");
        out.put(f[0], f[1]);
      }
    }
    return out;
  }
}
