package io.touchpoint.bench.batch;

import io.touchpoint.batch.BatchFunctions;
import io.touchpoint.batch.steps.WalkLayout;
import io.touchpoint.bench.batch.BatchBenchSettings.Shape;
import io.touchpoint.bench.batch.BatchBenchSettings.Volume;
import io.touchpoint.model.LakeTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes one benchmark day as the silver layout the attribute step reads: Parquet files in {@code
 * silver/touchpoints/event_date=.../} and {@code silver/app_events/event_date=.../} with exactly
 * the contract's columns (timestamps as UTC instants), generated inside DuckDB from {@code
 * range(N)} and deterministic by seed.
 *
 * <p>The shape makes the full rules reduce to "last click within 7 d, else last impression within
 * 24 h, by device": every touch and install carries a matchable advertising id and nothing else
 * that matches (no click id on installs, no IP / user agent, so no referrer or probabilistic
 * match); each installing device installs once (no prior install, so kind INSTALL with
 * user-acquisition touches, all {@code retargeting = false}); no {@code install_begin_time}. Touch
 * k of a device lies in its own slice of the 8 days, so a device's touches never share a time (the
 * engines' tie-breaks never come into play). Fraud can still reject a winner (CTIT < 10 s), but a
 * rejected verdict keeps its winning touch, so the install -> touch answer is the same.
 */
public final class DayGenerator {
  /** Touches span the attribute step's horizon before D (7 d) and D itself. */
  static final Duration TOUCH_SPAN = Duration.ofDays(8);

  static final Duration LOOKBACK = Duration.ofDays(7);

  /** Columns of a touch source relation, projected to the contract by {@link #writeTouches}. */
  public static final String TOUCH_SOURCE_COLUMNS =
      "event_id, event_type, app_id, t_us, dev, media_source, site_id, delay_us";

  /** Columns of an install source relation, projected by {@link #writeInstalls}. */
  public static final String INSTALL_SOURCE_COLUMNS = "event_id, app_id, t_us, dev, delay_us";

  private DayGenerator() {}

  public static String touchesDir(Path lake) {
    return LakeTables.path(lake.toString(), LakeTables.SILVER_TOUCHPOINTS);
  }

  public static String appEventsDir(Path lake) {
    return LakeTables.path(lake.toString(), LakeTables.SILVER_APP_EVENTS);
  }

  /** Generates the day's touches and installs under {@code lake}. */
  public static void generate(
      Connection duck, Path lake, Volume v, LocalDate day, long seed, Shape shape)
      throws SQLException {
    long dayStartUs = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond() * 1_000_000L;
    long touchStartUs = dayStartUs - LOOKBACK.toSeconds() * 1_000_000L;
    long devices = Math.max(v.installs(), v.installs() * shape.devicesPerInstall());
    long perDevice = Math.max(1, (v.touches() + devices - 1) / devices);
    long sliceUs = TOUCH_SPAN.toSeconds() * 1000L / perDevice * 1000L; // whole milliseconds
    long delayUs = shape.maxDelay().toMillis() * 1000L;
    // touch j belongs to device j % devices and is that device's (j / devices)-th touch, placed in
    // its own time slice; times are whole milliseconds
    String touches =
        """
        SELECT 't-' || j AS event_id,
               CASE WHEN hash(j, %1$d, 1) %% 100 < %2$d THEN 'click' ELSE 'impression' END AS event_type,
               'app-' || (d %% %3$d) AS app_id,
               %4$d + (j // %5$d) * %6$d + (hash(j, %1$d, 2) %% (%6$d // 1000))::BIGINT * 1000 AS t_us,
               %7$s AS dev,
               'net-' || (hash(j, %1$d, 3) %% %8$d)::BIGINT AS media_source,
               'site-' || (hash(j, %1$d, 4) %% %9$d)::BIGINT AS site_id,
               (hash(j, %1$d, 5) %% %10$d)::BIGINT AS delay_us
        FROM (SELECT range AS j, range %% %5$d AS d FROM range(%11$d))
        """
            .formatted(
                seed,
                shape.clickPercent(),
                shape.apps(),
                touchStartUs,
                devices,
                sliceUs,
                deviceId("d", seed),
                shape.mediaSources(),
                shape.sites(),
                Math.max(1, delayUs),
                v.touches());
    String installs =
        """
        SELECT 'i-' || d AS event_id, 'app-' || (d %% %2$d) AS app_id,
               %3$d + (hash(d, %1$d, 6) %% 86400000)::BIGINT * 1000 AS t_us,
               %4$s AS dev,
               (hash(d, %1$d, 7) %% %5$d)::BIGINT AS delay_us
        FROM (SELECT range AS d FROM range(%6$d))
        """
            .formatted(
                seed,
                shape.apps(),
                dayStartUs,
                deviceId("d", seed),
                Math.max(1, delayUs),
                v.installs());
    writeTouches(duck, lake, touches, "data");
    writeInstalls(duck, lake, installs, "data");
  }

  /** A deterministic, UUID-shaped advertising id for device number {@code expr}. */
  static String deviceId(String expr, long seed) {
    return "printf('%%08x-0000-4000-8000-%%012x', %d, %s)".formatted(seed & 0xffffffffL, expr);
  }

  /**
   * Writes {@code source} (with {@link #TOUCH_SOURCE_COLUMNS}) as contract touch rows (files named
   * {@code filePrefix_N}).
   */
  public static void writeTouches(Connection duck, Path lake, String source, String filePrefix)
      throws SQLException {
    String select =
        """
        SELECT event_id, event_type, app_id,
               make_timestamp(t_us)::TIMESTAMPTZ AS event_time,
               make_timestamp(t_us + delay_us)::TIMESTAMPTZ AS received_at,
               dev AS device_advertising_id, NULL::VARCHAR AS device_vendor_id, NULL::VARCHAR AS device_ip,
               NULL::VARCHAR AS device_user_agent, 'android' AS device_platform, NULL::VARCHAR AS device_os_version,
               'US' AS device_country,
               media_source, 'camp-' || media_source AS campaign_id, NULL::VARCHAR AS campaign,
               NULL::VARCHAR AS adset, NULL::VARCHAR AS ad, site_id,
               CASE WHEN event_type = 'click' THEN 'c-' || event_id END AS click_id,
               false AS retargeting, NULL::VARCHAR AS cost_model, NULL::DOUBLE AS cost_value,
               NULL::VARCHAR AS cost_currency,
               CAST(make_timestamp(t_us) AS DATE) AS event_date
        FROM (%s)
        """
            .formatted(source);
    copy(duck, select, touchesDir(lake), filePrefix);
  }

  /**
   * Writes {@code source} (with {@link #INSTALL_SOURCE_COLUMNS}) as contract install rows (files
   * named {@code filePrefix_N}).
   */
  public static void writeInstalls(Connection duck, Path lake, String source, String filePrefix)
      throws SQLException {
    String select =
        """
        SELECT event_id, 'install' AS event_type, app_id,
               make_timestamp(t_us)::TIMESTAMPTZ AS event_time,
               make_timestamp(t_us + delay_us)::TIMESTAMPTZ AS received_at,
               dev AS device_advertising_id, NULL::VARCHAR AS device_vendor_id, NULL::VARCHAR AS device_ip,
               NULL::VARCHAR AS device_user_agent, 'android' AS device_platform, NULL::VARCHAR AS device_os_version,
               'US' AS device_country,
               NULL::VARCHAR AS referrer_click_id, NULL::TIMESTAMPTZ AS install_begin_time, 'bench' AS sdk_version,
               NULL::VARCHAR AS deep_link_click_id, NULL::VARCHAR AS event_name, NULL::DOUBLE AS revenue,
               NULL::VARCHAR AS currency,
               CAST(make_timestamp(t_us) AS DATE) AS event_date
        FROM (%s)
        """
            .formatted(source);
    copy(duck, select, appEventsDir(lake), filePrefix);
  }

  /** The name of a laid-out touch file: its bucket and the bucket count ({@link DeltaLog}). */
  static final Pattern LAID_OUT_FILE = Pattern.compile("walk-(\\d+)-of-(\\d+)\\.parquet");

  /**
   * Rewrites every day's touch files as compaction lays silver touchpoints out ({@link
   * WalkLayout}): one file per walk-key bucket, {@code walk-B-of-N.parquet}, sorted by (walk key,
   * event time), with the walk key, the bucket and the bucket count as columns. The walk key is the
   * batch's own ({@link BatchFunctions#touchPrimaryKey}), computed here once per distinct (app,
   * advertising id) and joined in. DuckDB and chDB read the same files (the extra columns are not
   * selected). Returns the files written; {@code buckets = 0} leaves the files as they are.
   */
  public static int layOut(Connection duck, Path lake, int buckets) throws SQLException {
    if (buckets == 0) {
      return 0;
    }
    String dir = touchesDir(lake);
    int written = 0;
    try (Statement st = duck.createStatement()) {
      st.execute(
          "CREATE OR REPLACE TABLE walk_keys (app_id VARCHAR, dev VARCHAR, walk_key BIGINT)");
      try (ResultSet rs =
              st.executeQuery(
                  "SELECT DISTINCT app_id, device_advertising_id FROM read_parquet('"
                      + dir
                      + "/event_date=*/*.parquet', hive_partitioning = false)");
          DuckDBAppender keys =
              duck.unwrap(DuckDBConnection.class)
                  .createAppender(DuckDBConnection.DEFAULT_SCHEMA, "walk_keys")) {
        while (rs.next()) {
          String app = rs.getString(1);
          String dev = rs.getString(2);
          Long key = BatchFunctions.touchPrimaryKey(app, dev);
          keys.beginRow().append(app).append(dev);
          if (key == null) {
            keys.appendNull();
          } else {
            keys.append(key.longValue());
          }
          keys.endRow();
        }
      }
      for (Path day : list(Path.of(dir), "event_date=")) {
        List<Path> old = list(day, "");
        st.execute(
            """
            CREATE OR REPLACE TABLE day_laid AS
            SELECT t.*, k.walk_key,
                   COALESCE(CAST(((k.walk_key %% %1$d) + %1$d) %% %1$d AS INTEGER), 0) AS walk_bucket,
                   %1$d AS walk_buckets
            FROM read_parquet('%2$s/*.parquet', hive_partitioning = false) t
            LEFT JOIN walk_keys k ON t.app_id = k.app_id AND t.device_advertising_id = k.dev
            ORDER BY walk_bucket
            """
                .formatted(buckets, day));
        List<Integer> present = new ArrayList<>();
        try (ResultSet rs =
            st.executeQuery("SELECT DISTINCT walk_bucket FROM day_laid ORDER BY 1")) {
          while (rs.next()) {
            present.add(rs.getInt(1));
          }
        }
        for (int b : present) {
          st.execute(
              "COPY (SELECT * FROM day_laid WHERE walk_bucket = %d ORDER BY walk_key NULLS FIRST, event_time) TO '%s' (FORMAT parquet)"
                  .formatted(b, day.resolve("walk-%d-of-%d.parquet".formatted(b, buckets))));
          written++;
        }
        for (Path p : old) {
          try {
            Files.delete(p);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      st.execute("DROP TABLE IF EXISTS day_laid");
      st.execute("DROP TABLE walk_keys");
    }
    return written;
  }

  /** The entries of {@code dir} whose names start with {@code prefix} (files: .parquet only). */
  private static List<Path> list(Path dir, String prefix) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(
              p ->
                  prefix.isEmpty()
                      ? p.toString().endsWith(".parquet")
                      : p.getFileName().toString().startsWith(prefix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void copy(Connection duck, String select, String dir, String filePrefix)
      throws SQLException {
    try {
      Files.createDirectories(Path.of(dir));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Statement st = duck.createStatement()) {
      st.execute(
          "COPY ("
              + select
              + ") TO '"
              + dir
              + "' (FORMAT parquet, PARTITION_BY (event_date), OVERWRITE_OR_IGNORE true, "
              + "FILENAME_PATTERN '"
              + filePrefix
              + "_{i}')");
    }
  }
}
