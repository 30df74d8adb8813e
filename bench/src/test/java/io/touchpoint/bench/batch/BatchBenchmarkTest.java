package io.touchpoint.bench.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.touchpoint.bench.batch.BatchBenchSettings.Volume;
import io.touchpoint.local.StackConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small generated day (200 k touches, 20 k installs) through the three engines (DuckDB, chDB, the
 * production Spark attribute step): identical answers, and hand-placed installs whose winner is
 * known by construction from the boundary rules of docs/attribution-rules.md.
 */
class BatchBenchmarkTest {
  @TempDir Path work;

  /**
   * One hand-placed install at {@link #T} with its touches; {@code expected} = winning touch id or
   * null.
   */
  record Case(String name, String expected, List<Touch> touches) {}

  /** A touch {@code age} before the install (negative = after it). */
  record Touch(String id, String type, Duration age) {}

  private static final Duration MS = Duration.ofMillis(1);

  private Instant installTime(BatchBenchSettings s) {
    return s.date().atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(12));
  }

  private static List<Case> cases() {
    return List.of(
        new Case(
            "click-6d23h-beats-impression-1h",
            "e1-click",
            List.of(
                touch("e1-click", "click", Duration.ofDays(6).plusHours(23)),
                touch("e1-imp", "impression", Duration.ofHours(1)))),
        new Case(
            "click-7d-plus-1ms-loses",
            "e2-imp",
            List.of(
                touch("e2-click", "click", Duration.ofDays(7).plus(MS)),
                touch("e2-imp", "impression", Duration.ofHours(2)))),
        new Case(
            "click-exactly-7d-counts",
            "e3-click",
            List.of(touch("e3-click", "click", Duration.ofDays(7)))),
        new Case(
            "impression-exactly-24h-counts",
            "e4-imp",
            List.of(touch("e4-imp", "impression", Duration.ofHours(24)))),
        new Case(
            "impression-24h-plus-1ms-loses",
            null,
            List.of(touch("e5-imp", "impression", Duration.ofHours(24).plus(MS)))),
        new Case(
            "touch-at-or-after-install-never-counts",
            null,
            List.of(
                touch("e6-click-same", "click", Duration.ZERO),
                touch("e6-click-after", "click", Duration.ofSeconds(-1)))),
        new Case(
            "latest-click-wins",
            "e7-late",
            List.of(
                touch("e7-early", "click", Duration.ofHours(3)),
                touch("e7-late", "click", Duration.ofHours(2)))),
        new Case(
            "ctit-fraud-keeps-its-touch",
            "e8-click",
            List.of(touch("e8-click", "click", Duration.ofSeconds(5)))),
        new Case(
            "old-click-beats-recent-impression",
            "e9-click",
            List.of(
                touch("e9-imp", "impression", Duration.ofMinutes(30)),
                touch("e9-click", "click", Duration.ofDays(6)))));
  }

  private static Touch touch(String id, String type, Duration age) {
    return new Touch(id, type, age);
  }

  @Test
  void enginesAgreeAndHandPlacedInstallsGetTheirKnownWinner() throws Exception {
    // batch.conf's own shuffle settings: AQE coalesces a 200 k-touch day's shuffles to a task or
    // two
    BatchBenchSettings settings =
        BatchBenchSettings.load(StackConfig.findRepoRoot())
            .withWorkDir(work)
            .withSparkSqlAsof(false);
    long installUs = installTime(settings).toEpochMilli() * 1000;
    List<Case> cases = cases();
    BatchBenchmark.Extra handPlaced =
        (duck, lake) -> {
          List<String> touchRows = new ArrayList<>();
          List<String> installRows = new ArrayList<>();
          for (int i = 0; i < cases.size(); i++) {
            String dev = "edge-device-" + i;
            installRows.add(
                "('edge-install-%d', 'app-edge', %d, '%s', 0)".formatted(i, installUs, dev));
            for (Touch t : cases.get(i).touches()) {
              touchRows.add(
                  "('%s', '%s', 'app-edge', %d, '%s', 'net-edge', 'site-edge', 0)"
                      .formatted(t.id(), t.type(), installUs - t.age().toNanos() / 1000, dev));
            }
          }
          // a click of another app on an edge device never counts for app-edge
          touchRows.add(
              "('e-other-app', 'click', 'app-other', %d, 'edge-device-4', 'net-edge', 'site-edge', 0)"
                  .formatted(installUs - 60_000_000L));
          DayGenerator.writeTouches(
              duck.connection(),
              lake,
              "SELECT * FROM (VALUES "
                  + String.join(", ", touchRows)
                  + ") v("
                  + DayGenerator.TOUCH_SOURCE_COLUMNS
                  + ")",
              "edge");
          DayGenerator.writeInstalls(
              duck.connection(),
              lake,
              "SELECT * FROM (VALUES "
                  + String.join(", ", installRows)
                  + ") v("
                  + DayGenerator.INSTALL_SOURCE_COLUMNS
                  + ")",
              "edge");
        };

    long t0 = System.nanoTime();
    List<BatchBenchmark.Point> points =
        new BatchBenchmark(settings, System.out)
            .run(List.of(new Volume(1, 200_000, 20_000)), false, handPlaced, null);
    BatchBenchmark.Point point = points.get(0);
    System.out.printf(
        "bench batch test: three engines in %.1f s%n", (System.nanoTime() - t0) / 1e9);

    assertTrue(point.sameAnswers(), "engines differ: " + point.figures().get("differing_installs"));
    Map<String, String> expected = new LinkedHashMap<>();
    for (int i = 0; i < cases.size(); i++) {
      expected.put("edge-install-" + i, cases.get(i).expected());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      for (Map.Entry<String, Path> engine : point.answers().entrySet()) {
        Map<String, String> got = edgeAnswers(c, engine.getValue());
        Map<String, String> named = new LinkedHashMap<>();
        Map<String, String> want = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
          named.put(cases.get(i).name(), got.get("edge-install-" + i));
          want.put(cases.get(i).name(), expected.get("edge-install-" + i));
        }
        assertEquals(want, named, engine.getKey() + "'s winners of the hand-placed installs");
        assertEquals(
            cases.size(), got.size(), engine.getKey() + " answered every hand-placed install once");
      }
      // the generated day is not degenerate: most installs have a winner, some do not
      long installs = 20_000 + cases.size();
      @SuppressWarnings("unchecked")
      Map<String, Object> duck =
          (Map<String, Object>)
              ((Map<String, Object>) point.figures().get("answers")).get("duckdb");
      assertEquals(installs, ((Number) duck.get("installs")).longValue());
      long attributed = ((Number) duck.get("attributed")).longValue();
      assertTrue(
          attributed > installs / 2 && attributed < installs,
          "attributed " + attributed + " of " + installs);
    }
  }

  private static Map<String, String> edgeAnswers(Connection c, Path answers) throws Exception {
    Map<String, String> m = new HashMap<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT install_id, touch_id FROM "
                    + Answers.scan(answers)
                    + " WHERE install_id LIKE 'edge-install-%'")) {
      while (rs.next()) {
        m.merge(rs.getString(1), String.valueOf(rs.getString(2)), (a, b) -> a + "|" + b);
      }
    }
    // null winners read back as the string "null" above; map them back for the comparison
    m.replaceAll((k, v) -> v.equals("null") ? null : v);
    return m;
  }
}
