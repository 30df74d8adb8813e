package io.touchpoint.bench.batch;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compares two engines' answers (install_id -> touch_id or null), row by row, in DuckDB: the same
 * set of installs, each exactly once, and the same winning touch for each.
 */
final class Answers {
  private Answers() {}

  /** What one engine answered: how many installs, distinct installs, and installs with a winner. */
  record Summary(long rows, long distinctInstalls, long attributed) {
    Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("installs", rows);
      m.put("attributed", attributed);
      m.put("unattributed", rows - attributed);
      return m;
    }
  }

  static String scan(Path answers) {
    String p = answers.toString();
    // a Spark answer is a folder of part files, DuckDB's and chDB's one file
    return p.endsWith(".parquet")
        ? "read_parquet('" + p + "')"
        : "read_parquet('" + p + "/*.parquet')";
  }

  static Summary summary(DuckDbEngine duck, Path answers) throws SQLException {
    String s = scan(answers);
    return new Summary(
        duck.scalar("SELECT count(*) FROM " + s),
        duck.scalar("SELECT count(DISTINCT install_id) FROM " + s),
        duck.scalar("SELECT count(touch_id) FROM " + s));
  }

  /** Installs whose answers differ (missing on one side, or another touch); 0 = identical. */
  static long differences(DuckDbEngine duck, Path a, Path b) throws SQLException {
    return duck.scalar(
        "SELECT count(*) FROM "
            + scan(a)
            + " x FULL OUTER JOIN "
            + scan(b)
            + " y ON x.install_id = y.install_id"
            + " WHERE x.install_id IS NULL OR y.install_id IS NULL OR x.touch_id IS DISTINCT FROM y.touch_id");
  }

  /** Identical when neither side repeats an install and no install differs. */
  static boolean same(DuckDbEngine duck, Path a, Path b) throws SQLException {
    Summary x = summary(duck, a);
    Summary y = summary(duck, b);
    return x.rows() == x.distinctInstalls()
        && y.rows() == y.distinctInstalls()
        && differences(duck, a, b) == 0;
  }
}
