package io.touchpoint.serving;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.local.Console;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.serving.clickhouse.BatchLoader;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import io.touchpoint.serving.clickhouse.Migrations;
import io.touchpoint.serving.druid.DruidClient;
import io.touchpoint.serving.druid.DruidSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * p95 of each named dashboard query on a year of simulated gold for 100 apps (docs/benchmarks.md).
 * Not part of the suite: {@code TOUCHPOINT_BENCH=1 ./mvnw -pl serving -am test
 * -Dtest=ServingBenchmark} ({@code TOUCHPOINT_BENCH_DRUID=1} adds Druid, whose ingestion takes
 * several minutes).
 */
@EnabledIfEnvironmentVariable(named = "TOUCHPOINT_BENCH", matches = "1")
// Druid is started only for its half (TOUCHPOINT_BENCH_DRUID=1): idle, its six JVMs still take CPU
@EmbeddedStack(services = {Service.S3, Service.CLICKHOUSE})
class ServingBenchmark {
  static final int APPS = 100;
  static final int DAYS = 365;
  static final LocalDate START = LocalDate.parse("2025-01-01");
  static final int RUNS = 40;
  static final LocalDate LAST_DAY = START.plusDays(DAYS - 1);
  final StringBuilder report = new StringBuilder();
  java.util.function.Supplier<Double> serverTimes = () -> null;

  @Test
  void dashboardQueriesOnAYearOf100Apps(StackHandle stack) throws Exception {
    String db = "tp_bench";
    Map<String, Object> o =
        new java.util.HashMap<>(
            Map.of(
                "druid.datasource-prefix",
                "tp_bench_",
                "lake.druid-export-prefix",
                "test/tp_bench/export/druid",
                "druid.task-timeout",
                "60m"));
    if (System.getenv("TOUCHPOINT_BENCH_CLICKHOUSE_URL") != null) {
      o.put(
          "clickhouse.url",
          System.getenv("TOUCHPOINT_BENCH_CLICKHOUSE_URL")); // another ClickHouse endpoint
    }
    ServingConfig c = ServingTestSupport.config(stack, db, o);
    ClickHouseHttp ch = ServingTestSupport.clickhouse(c);
    boolean reuse =
        "1".equals(System.getenv("TOUCHPOINT_BENCH_REUSE"))
            && "1"
                .equals(
                    ch.scalar(
                        "SELECT count() > 0 FROM system.tables WHERE database = '"
                            + db
                            + "' AND name = 'ltv'"))
            && !"0".equals(ch.scalar("SELECT count() FROM " + db + ".ltv"));
    if (!reuse) {
      ch.execute("DROP DATABASE IF EXISTS " + db);
      new Migrations(ch, db, "", "", s -> {}).run();
      new BatchLoader(ch, c, s -> {}).insertFxRates("USD,1.0,2000-01-01\nEUR,1.08,2000-01-01\n");
      // full scale for ClickHouse: 6 sources x 2 campaigns x 8 countries x 2 platforms per app and
      // day
      long t0 = System.nanoTime();
      Map<String, Long> rows = generate(ch, db, 2, 8, 4);
      line("ClickHouse gold generated in %.1f s: %s", (System.nanoTime() - t0) / 1e9, rows);
    } else {
      line(
          "ClickHouse gold reused: %s rows in daily_installs",
          ch.scalar("SELECT count() FROM " + db + ".daily_installs"));
    }
    line(
        "%-24s %8s %8s %8s   (ms, %d runs per app-filtered query, 7-day window, random app and day)",
        "clickhouse query", "p50", "p95", "max", RUNS);
    Random r = new Random(1);
    serverTimes = ch::lastElapsedMs;
    for (String q : NamedQueries.NAMES) {
      bench("clickhouse " + q, p -> NamedQueries.clickhouse(ch, db, q, p), r);
    }
    for (String q : NamedQueries.NAMES) {
      bench(
          "clickhouse " + q + " (all apps)",
          p -> NamedQueries.clickhouse(ch, db, q, new NamedQueries.Params(p.date(), p.days(), "")),
          r);
    }
    chartQueries(ch, db, r);
    serverTimes = () -> null;

    if ("1".equals(System.getenv("TOUCHPOINT_BENCH_DRUID"))) {
      druid(ch, c, db, r);
    }
    write();
  }

  /** Every Superset chart's own SQL (serving/superset/chart_queries.json), per app and all apps. */
  private void chartQueries(ClickHouseHttp ch, String db, Random r) throws IOException {
    DashboardChartQueries charts =
        DashboardChartQueries.load(Path.of(System.getProperty("user.dir")));
    line(
        "%-44s %8s %8s %8s   (%d distinct chart queries of the Superset dashboards, 7-day window)",
        "superset chart query", "p50", "p95", "max", charts.queries().size());
    for (DashboardChartQueries.Query q : charts.queries()) {
      Function<NamedQueries.Params, NamedQueries.Table> run =
          p -> {
            try {
              return charts.run(ch, db, q, p);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          };
      bench(
          "chart " + q.label() + (q.allApps() ? " (all apps)" : ""),
          run,
          r,
          q.latestDay() ? LAST_DAY : null);
    }
  }

  private void druid(ClickHouseHttp ch, ServingConfig c, String db, Random r) throws Exception {
    // Druid gets a smaller cut of the same shape (6 sources x 1 campaign x 2 countries x 2
    // platforms),
    // since its JSON ingestion on this machine runs at tens of thousands of rows per second
    Stack stack = new Stack(StackConfig.load(), Console.stdout());
    boolean startedDruid =
        stack.up(Service.withRequirements(EnumSet.of(Service.DRUID))).entrySet().stream()
            .filter(e -> e.getKey() == Service.DRUID)
            .map(Map.Entry::getValue)
            .anyMatch(o -> o != Stack.Outcome.ALREADY_RUNNING);
    try {
      druidQueries(ch, c, db, r);
    } finally {
      if (startedDruid && !"1".equals(System.getenv("TOUCHPOINT_STACK_KEEP"))) {
        stack.down(EnumSet.of(Service.DRUID), false);
      }
    }
  }

  private void druidQueries(ClickHouseHttp ch, ServingConfig c, String db, Random r)
      throws Exception {
    String small = db + "_druid";
    DruidClient druid = new DruidClient(c.druidRouter());
    boolean reuse =
        "1".equals(System.getenv("TOUCHPOINT_BENCH_REUSE"))
            && druid
                .sql(
                    "SELECT COUNT(*) FROM sys.segments WHERE datasource = '"
                        + c.datasource("ltv")
                        + "' AND is_available = 1")
                .rows()
                .stream()
                .anyMatch(row -> !"0".equals(String.valueOf(row.get(0))));
    if (!reuse) {
      ch.execute("DROP DATABASE IF EXISTS " + small);
      new Migrations(ch, small, "", "", s -> {}).run();
      Map<String, Long> rows = generate(ch, small, 1, 2, 1);
      line("Druid gold generated: %s", rows);
    } else {
      line("Druid datasources reused");
    }
    for (String ds : reuse ? List.<String>of() : DruidSpecs.DATASOURCES) {
      long t0 = System.nanoTime();
      ArrayNode prefixes = DruidClient.JSON.createArrayNode();
      for (String table : DruidSpecs.BATCH_SOURCES.get(ds)) {
        String url =
            c.lakeEndpoint()
                + "/"
                + c.lakeBucket()
                + "/"
                + c.druidExportPrefix()
                + "/"
                + table
                + "/part-{_partition_id}.json";
        String select =
            Template.fill(
                Resources.text("druid/export/" + table + ".sql"),
                Map.of("rows", "SELECT * FROM " + small + "." + table));
        ch.execute(
            "INSERT INTO FUNCTION "
                + BatchLoader.s3(c, url, "JSONEachRow")
                + " PARTITION BY toYYYYMM(toDate(event_date))\n"
                + select,
            Map.of(),
            Map.of("s3_truncate_on_insert", "1", "output_format_json_quote_64bit_integers", "0"));
        prefixes.add("s3://" + c.lakeBucket() + "/" + c.druidExportPrefix() + "/" + table + "/");
      }
      ObjectNode input = DruidClient.JSON.createObjectNode();
      input.put("type", "s3").set("prefixes", prefixes);
      var spec = DruidSpecs.batch(c, ds, START, START.plusDays(DAYS), input);
      ((ObjectNode) spec.at("/spec/tuningConfig")).put("maxRowsInMemory", 500_000);
      long exported = System.nanoTime();
      String task = druid.submitTask(spec);
      druid.awaitTask(task, Duration.ofMinutes(60));
      line(
          "Druid %s: export %.1f s, index %.1f s",
          c.datasource(ds), (exported - t0) / 1e9, (System.nanoTime() - exported) / 1e9);
    }
    // wait until the historical serves every segment
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (System.nanoTime() < deadline) {
      var res =
          druid.sql(
              "SELECT COUNT(*) FROM sys.segments WHERE datasource LIKE 'tp_bench_%' AND is_available = 0 AND is_overshadowed = 0");
      if (res.rows().isEmpty() || "0".equals(String.valueOf(res.rows().get(0).get(0)))) {
        break;
      }
      Thread.sleep(2000);
    }
    line("%-24s %8s %8s %8s", "druid query", "p50", "p95", "max");
    for (String q : NamedQueries.NAMES) {
      bench("druid " + q, p -> NamedQueries.druid(druid, c, q, p), r);
    }
    for (String q : NamedQueries.NAMES) {
      bench(
          "druid " + q + " (all apps)",
          p -> NamedQueries.druid(druid, c, q, new NamedQueries.Params(p.date(), p.days(), "")),
          r);
    }
  }

  private void bench(
      String label, Function<NamedQueries.Params, NamedQueries.Table> run, Random r) {
    bench(label, run, r, null);
  }

  /** reportDay: the window's last day, or null for a random one. */
  private void bench(
      String label,
      Function<NamedQueries.Params, NamedQueries.Table> run,
      Random r,
      LocalDate reportDay) {
    boolean today = label.contains("today_so_far");
    boolean allApps = label.contains("all apps");
    Function<Random, NamedQueries.Params> params =
        rr -> {
          NamedQueries.Params p = params(rr, today);
          return new NamedQueries.Params(
              reportDay == null ? p.date() : reportDay, p.days(), allApps ? "" : p.app());
        };
    for (int i = 0; i < 3; i++) {
      run.apply(params.apply(r));
    }
    List<Double> ms = new ArrayList<>();
    List<Double> server = new ArrayList<>();
    int n = allApps ? RUNS / 2 : RUNS;
    for (int i = 0; i < n; i++) {
      NamedQueries.Params p = params.apply(r);
      long t0 = System.nanoTime();
      NamedQueries.Table t = run.apply(p);
      ms.add((System.nanoTime() - t0) / 1e6);
      Double sv = serverTimes.get();
      if (sv != null) {
        server.add(sv);
      }
      if (t.rows().isEmpty()) {
        throw new AssertionError(label + " returned no rows for " + p);
      }
    }
    Collections.sort(ms);
    Collections.sort(server);
    String engine =
        server.isEmpty()
            ? ""
            : String.format(
                "   engine p50 %6.1f  p95 %6.1f",
                server.get(server.size() / 2),
                server.get((int) Math.ceil(server.size() * 0.95) - 1));
    line(
        "%-44s %8.1f %8.1f %8.1f%s",
        label,
        ms.get(ms.size() / 2),
        ms.get((int) Math.ceil(ms.size() * 0.95) - 1),
        ms.get(ms.size() - 1),
        engine);
  }

  private static NamedQueries.Params params(Random r, boolean today) {
    LocalDate d = START.plusDays(40 + r.nextInt(DAYS - 41));
    return new NamedQueries.Params(d, today ? 1 : 7, "com.bench.app" + r.nextInt(APPS));
  }

  /** A year of gold for 100 apps, straight into the batch tables, and the loads recorded. */
  static Map<String, Long> generate(
      ClickHouseHttp ch, String db, int campaigns, int countries, int sites) {
    int combos = 6 * campaigns * countries * 2;
    String k = "(number % " + combos + ")";
    String dims =
        "toDate('"
            + START
            + "') + intDiv(number, "
            + (APPS * combos)
            + ") AS event_date, "
            + "concat('com.bench.app', toString(intDiv(number, "
            + combos
            + ") % "
            + APPS
            + ")) AS app_id, "
            + "['organic','net_a','net_b','net_c','net_d','net_e']["
            + k
            + " % 6 + 1] AS media_source, "
            + "if(media_source = 'organic', '', concat(media_source, '_c', toString(intDiv("
            + k
            + ", 6) % "
            + campaigns
            + "))) AS campaign_id, "
            + "['US','DE','GB','FR','IN','BR','JP','KR'][intDiv("
            + k
            + ", "
            + (6 * campaigns)
            + ") % "
            + countries
            + " + 1] AS country, "
            + "['ios','android'][intDiv("
            + k
            + ", "
            + (6 * campaigns * countries)
            + ") + 1] AS platform";
    long base = (long) APPS * DAYS * combos;
    Map<String, String> settings =
        Map.of("max_partitions_per_insert_block", "1000", "max_insert_threads", "2");
    ch.execute(
        "INSERT INTO "
            + db
            + ".daily_installs SELECT event_date, event_date AS day, app_id, media_source, campaign_id, "
            + "country, platform, cityHash64(number) % 40 + 1 AS installs, if(media_source = 'organic', installs, 0), "
            + "cityHash64(number, 1) % 3, cityHash64(number, 2) % 2, cityHash64(number, 3) % 3, cityHash64(number, 4) % 4 AS rej, "
            + "rej, 0, 0 FROM (SELECT number, "
            + dims
            + " FROM numbers("
            + base
            + "))",
        Map.of(),
        settings);
    ch.execute(
        "INSERT INTO "
            + db
            + ".daily_events SELECT event_date, event_date, app_id, media_source, campaign_id, country, "
            + "platform, ['purchase','purchase','level_up'][e + 1], ['USD','EUR',''][e + 1], cityHash64(number, e) % 30 + 1 AS n, "
            + "if(e = 2, 0, n), toDecimal128(if(e = 2, 0, n * 9.99), 6) AS rev, toDecimal128(if(e = 1, rev * 1.08, rev), 6), 0, "
            + "cityHash64(number, e, 1) % 2 FROM (SELECT number, "
            + dims
            + " FROM numbers("
            + base
            + ")) ARRAY JOIN [0, 1, 2] AS e",
        Map.of(),
        settings);
    ch.execute(
        "INSERT INTO "
            + db
            + ".retention SELECT event_date, event_date - n AS cohort_day, app_id, media_source, "
            + "campaign_id, country, platform, n, cityHash64(number, n) % (40 - n) + 1 FROM (SELECT number, "
            + dims
            + " FROM numbers("
            + base
            + ")) ARRAY JOIN [0, 1, 3, 7, 14, 30] AS n",
        Map.of(),
        settings);
    ch.execute(
        "INSERT INTO "
            + db
            + ".ltv SELECT event_date, event_date - a AS cohort_day, app_id, media_source, campaign_id, "
            + "country, platform, a, cityHash64(number, a) % 10 + 1 AS n, n, toDecimal128(n * 4.99, 6) FROM (SELECT number, "
            + dims
            + " FROM numbers("
            + base
            + ")) ARRAY JOIN [0, 1, 3, 7, 14, 30] AS a",
        Map.of(),
        settings);
    ch.execute(
        "INSERT INTO "
            + db
            + ".ctit_histogram SELECT event_date, event_date, app_id, media_source, "
            + "concat(media_source, '_site', toString(s)), bucket, start, cityHash64(number, s, start) % 20 + 1 AS n, "
            + "if(start = 0, n, cityHash64(number, s) % 2) FROM (SELECT number, "
            + dims
            + " FROM numbers("
            + base
            + ") "
            + "WHERE "
            + k
            + " < 6 AND "
            + k
            + " > 0) ARRAY JOIN range("
            + sites
            + ") AS s "
            + "ARRAY JOIN ['0-10s','10s-1m','1m-10m','10m-1h','1h-6h','6h-24h','1d-3d','3d-7d','7d+'] AS bucket, "
            + "[0, 10, 60, 600, 3600, 21600, 86400, 259200, 604800] AS start",
        Map.of(),
        settings);
    for (String t : BatchLoader.TABLES) {
      ch.execute(
          "INSERT INTO "
              + db
              + ".batch_loads (table_name, day, rows, source, load_id, loaded_at) SELECT '"
              + t
              + "', toDate('"
              + START
              + "') + number, 0, 'benchmark', generateUUIDv4(), now64(3) FROM numbers("
              + DAYS
              + ")");
    }
    // the batch's reconciliation with the speed layer: one row per app and day
    ch.execute(
        "INSERT INTO "
            + db
            + ".speed_vs_batch SELECT toDate('"
            + START
            + "') + intDiv(number, "
            + APPS
            + "), concat('com.bench.app', toString(number % "
            + APPS
            + ")), 3000 + cityHash64(number) % 500 AS v, v, v, v - diff, diff - intDiv(diff, 2), "
            + "intDiv(diff, 2), 0, 0, 0, 1 FROM (SELECT number, cityHash64(number, 1) % 90 AS diff "
            + "FROM numbers("
            + (long) APPS * DAYS
            + "))",
        Map.of(),
        settings);
    // the cohort rollups (migration 0006), as the loads would have built them day by day
    ch.execute(
        "INSERT INTO "
            + db
            + ".ltv_cohort SELECT event_date, cohort_day, app_id, media_source, age_days, "
            + "sum(events), sum(revenue_events), sum(revenue_usd) FROM "
            + db
            + ".ltv "
            + "GROUP BY event_date, cohort_day, app_id, media_source, age_days",
        Map.of(),
        settings);
    ch.execute(
        "INSERT INTO "
            + db
            + ".retention_cohort SELECT event_date, cohort_day, app_id, media_source, day_n, "
            + "sum(users) FROM "
            + db
            + ".retention GROUP BY event_date, cohort_day, app_id, media_source, day_n",
        Map.of(),
        settings);
    Map<String, Long> rows = new java.util.LinkedHashMap<>();
    List<String> tables = new ArrayList<>(BatchLoader.TABLES);
    tables.addAll(List.of("speed_vs_batch", "ltv_cohort", "retention_cohort"));
    for (String t : tables) {
      ch.execute("OPTIMIZE TABLE " + db + "." + t + " FINAL", Map.of(), Map.of());
      rows.put(t, Long.parseLong(ch.scalar("SELECT count() FROM " + db + "." + t)));
    }
    return rows;
  }

  private void line(String fmt, Object... args) {
    String s = String.format(fmt, args);
    System.out.println(s);
    report.append(s).append('\n');
  }

  private void write() throws IOException {
    Path out =
        Path.of(
            System.getProperty("user.dir"),
            System.getProperty("tp.target", "target"),
            "serving-benchmark.txt");
    Files.createDirectories(out.getParent());
    Files.writeString(out, report.toString());
  }
}
