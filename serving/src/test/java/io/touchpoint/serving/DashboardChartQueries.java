package io.touchpoint.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The SQL every Superset chart of the dashboards sends to ClickHouse ({@code
 * serving/superset/chart_queries.json}: compiled by Superset itself in the Superset test, which
 * fails when the file is stale), with the dashboards' App and Date range filters as sentinels that
 * {@link #run} replaces.
 */
record DashboardChartQueries(
    String sentinelApp, String sentinelFrom, String sentinelTo, List<Query> queries) {

  static final Path FILE = Path.of("superset", "chart_queries.json");

  /** One distinct SQL text (charts sharing it are named together). */
  record Query(String label, String dataset, boolean allApps, String sql) {
    /** The latest-day dataset filters itself to the last report day: its window must hold it. */
    boolean latestDay() {
      return dataset.equals("latest_day");
    }
  }

  static DashboardChartQueries load(Path moduleDir) throws IOException {
    JsonNode root = new ObjectMapper().readTree(moduleDir.resolve(FILE).toFile());
    Map<String, Query> bySql = new LinkedHashMap<>();
    for (JsonNode q : root.get("queries")) {
      String sql = q.get("sql").asText().strip().replaceFirst(";$", "");
      boolean allApps = q.get("scope").asText().equals("all apps");
      String chart = q.get("dashboard").asText() + "/" + q.get("chart").asText().split(" \\(")[0];
      bySql.merge(
          sql,
          new Query(chart, q.get("dataset").asText(), allApps, sql),
          (a, b) -> new Query(a.label() + " = " + b.label(), a.dataset(), allApps, sql));
    }
    JsonNode range = root.get("range");
    return new DashboardChartQueries(
        root.get("app").asText(),
        range.get(0).asText(),
        range.get(1).asText(),
        new ArrayList<>(bySql.values()));
  }

  /**
   * Runs a chart's SQL for the window of p ({@code [date - days + 1, date + 1)}, the dashboard's
   * Date range) and p's app, in database db, as Superset's driver does (one HTTP POST, the database
   * as a URL parameter).
   */
  NamedQueries.Table run(ClickHouseHttp ch, String db, Query q, NamedQueries.Params p)
      throws IOException {
    String sql =
        q.sql()
            .replace(sentinelFrom, p.date().minusDays(p.days() - 1L).toString())
            .replace(sentinelTo, p.date().plusDays(1).toString())
            .replace("'" + sentinelApp + "'", "'" + p.app() + "'");
    JsonNode root =
        new ObjectMapper()
            .readTree(ch.execute(sql + "\nFORMAT JSONCompact", Map.of(), Map.of("database", db)));
    List<List<Object>> rows = new ArrayList<>();
    root.get("data").forEach(r -> rows.add(List.of(r.toString())));
    return new NamedQueries.Table(List.of("row"), rows);
  }
}
