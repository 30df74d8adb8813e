package io.touchpoint.bench.batch;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * DuckDB in this JVM (JDBC, in-memory database, explicit threads and memory limit): generates the
 * day, runs the comparable computation with ASOF JOIN, and compares engines' answers.
 */
final class DuckDbEngine implements AutoCloseable {
  private final Connection conn;

  DuckDbEngine(int threads, String memoryLimit, Path tempDir) throws SQLException {
    conn = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement st = conn.createStatement()) {
      st.execute("SET threads = " + threads);
      st.execute("SET memory_limit = '" + memoryLimit + "'");
      st.execute("SET temp_directory = '" + tempDir + "'");
      st.execute("SET TimeZone = 'UTC'");
      st.execute("SET preserve_insertion_order = false");
    }
  }

  Connection connection() {
    return conn;
  }

  /**
   * For each install of the day: the latest click strictly before it and within the click window,
   * else the latest impression within the view-through window, by app and advertising id. Writes
   * (install_id, touch_id) to {@code answers}; returns wall seconds.
   */
  double asof(Path lake, Windows w, Path answers) throws SQLException {
    String touches = "read_parquet('" + DayGenerator.touchesDir(lake) + "/event_date=*/*.parquet')";
    String installs =
        "read_parquet('" + DayGenerator.appEventsDir(lake) + "/event_date=*/*.parquet')";
    String sql =
        """
        COPY (
          WITH ins AS (SELECT event_id, app_id, device_advertising_id AS dev, event_time FROM %1$s
                       WHERE event_type = 'install'),
               clk AS (SELECT event_id, app_id, device_advertising_id AS dev, event_time FROM %2$s
                       WHERE event_type = 'click'),
               imp AS (SELECT event_id, app_id, device_advertising_id AS dev, event_time FROM %2$s
                       WHERE event_type = 'impression')
          SELECT i.event_id AS install_id,
                 CASE WHEN epoch_us(c.event_time) >= epoch_us(i.event_time) - %3$d THEN c.event_id
                      WHEN epoch_us(m.event_time) >= epoch_us(i.event_time) - %4$d THEN m.event_id END AS touch_id
          FROM ins i
          ASOF LEFT JOIN clk c ON i.app_id = c.app_id AND i.dev = c.dev AND i.event_time > c.event_time
          ASOF LEFT JOIN imp m ON i.app_id = m.app_id AND i.dev = m.dev AND i.event_time > m.event_time
        ) TO '%5$s' (FORMAT parquet)
        """
            .formatted(installs, touches, w.clickMicros(), w.viewMicros(), answers);
    long t0 = System.nanoTime();
    try (Statement st = conn.createStatement()) {
      st.execute(sql);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** One number from a query. */
  long scalar(String sql) throws SQLException {
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    conn.close();
  }
}
