package io.touchpoint.bench.chaos;

import io.touchpoint.local.Http;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving tables of two ClickHouse databases, row for row (a row = all its columns): the batch
 * days' gold, the speed-vs-batch summary and the cohort rollups the load refreshes.
 */
final class ClickHouseComparison {
  static final List<String> TABLES =
      List.of(
          "daily_installs",
          "daily_events",
          "retention",
          "ltv",
          "ctit_histogram",
          "speed_vs_batch",
          "ltv_cohort",
          "retention_cohort");

  private final String url;

  /** {@code url}: the HTTP interface, e.g. http://127.0.0.1:8123 (user default). */
  ClickHouseComparison(String url) {
    this.url = url;
  }

  Comparison compare(String table, String referenceDb, String runDb) {
    Map<String, Integer> ref = rows(referenceDb + "." + table);
    Map<String, Integer> run = rows(runDb + "." + table);
    // a row the run holds more often than the reference (an aggregate loaded twice)
    long duplicates =
        run.entrySet().stream()
            .filter(e -> e.getValue() > Math.max(1, ref.getOrDefault(e.getKey(), 0)))
            .count();
    return RowCounts.compare("clickhouse", table, ref, run, duplicates);
  }

  /** Each distinct row (tab-separated) with how often it occurs. */
  private Map<String, Integer> rows(String table) {
    String sql = "SELECT * FROM " + table + " FORMAT TabSeparated";
    Http.Response r =
        Http.get(url + "/?user=default&query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
    if (!r.ok()) {
      throw new IllegalStateException("ClickHouse: " + table + ": " + r.status() + " " + r.body());
    }
    Map<String, Integer> m = new HashMap<>();
    for (String line : r.body().lines().toList()) {
      m.merge(line, 1, Integer::sum);
    }
    return m;
  }
}
