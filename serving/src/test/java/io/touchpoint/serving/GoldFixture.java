package io.touchpoint.serving;

import io.touchpoint.serving.clickhouse.BatchLoader;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small gold tables for one day, with the batch layer's column names and Spark's Parquet types
 * (nullable strings, int64 counts, decimal(38,6) money, date columns), written into the lake by the
 * ClickHouse engine itself ({@code INSERT INTO FUNCTION s3(... 'Parquet')}); plus the expected
 * dashboard numbers computed here in Java from the same rows.
 */
public final class GoldFixture {
  public static final Map<String, String> STRUCTURE =
      Map.of(
          "daily_installs",
              "app_id Nullable(String), day Nullable(Date32), media_source Nullable(String), "
                  + "campaign_id Nullable(String), country Nullable(String), platform Nullable(String), installs Nullable(Int64), "
                  + "organic_installs Nullable(Int64), re_attributions Nullable(Int64), reinstalls Nullable(Int64), "
                  + "re_engagements Nullable(Int64), rejected Nullable(Int64), rejected_ctit Nullable(Int64), "
                  + "rejected_click_injection Nullable(Int64), rejected_click_flooding Nullable(Int64), event_date Nullable(Date32)",
          "daily_events",
              "app_id Nullable(String), day Nullable(Date32), media_source Nullable(String), "
                  + "campaign_id Nullable(String), country Nullable(String), platform Nullable(String), event_name Nullable(String), "
                  + "currency Nullable(String), events Nullable(Int64), revenue_events Nullable(Int64), revenue Nullable(Decimal(38, 6)), "
                  + "revenue_usd Nullable(Decimal(38, 6)), unconverted_events Nullable(Int64), re_engaged_events Nullable(Int64), "
                  + "event_date Nullable(Date32)",
          "retention",
              "app_id Nullable(String), cohort_day Nullable(Date32), media_source Nullable(String), "
                  + "campaign_id Nullable(String), country Nullable(String), platform Nullable(String), day_n Nullable(Int32), "
                  + "users Nullable(Int64), event_date Nullable(Date32)",
          "ltv",
              "app_id Nullable(String), cohort_day Nullable(Date32), media_source Nullable(String), "
                  + "campaign_id Nullable(String), country Nullable(String), platform Nullable(String), age_days Nullable(Int32), "
                  + "events Nullable(Int64), revenue_events Nullable(Int64), revenue_usd Nullable(Decimal(38, 6)), "
                  + "event_date Nullable(Date32)",
          "ctit_histogram",
              "app_id Nullable(String), day Nullable(Date32), media_source Nullable(String), "
                  + "site_id Nullable(String), bucket Nullable(String), bucket_start_seconds Nullable(Int32), "
                  + "installs Nullable(Int64), rejected Nullable(Int64), event_date Nullable(Date32)",
          "speed_vs_batch",
              "app_id Nullable(String), batch_verdicts Nullable(Int64), speed_verdicts Nullable(Int64), "
                  + "speed_rows Nullable(Int64), matched Nullable(Int64), touch_arrived_after_install Nullable(Int64), "
                  + "late_install Nullable(Int64), duplicate Nullable(Int64), batch_only_fraud_signal Nullable(Int64), "
                  + "other Nullable(Int64), speed_available Nullable(UInt8), event_date Nullable(Date32)");

  static final String[] APPS = {"com.example.alpha", "com.example.beta"};
  static final String[] SOURCES = {"organic", "net_one", "net_two"};
  static final String[] COUNTRIES = {"US", "DE"};
  static final String[] PLATFORMS = {"ios", "android"};
  static final String[][] BUCKETS = {
    {"0-10s", "0"}, {"10s-1m", "10"}, {"1m-10m", "60"}, {"1h-6h", "3600"}
  };

  public final LocalDate day;
  public final Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();

  public GoldFixture(LocalDate day, long seed) {
    this.day = day;
    Random r = new Random(seed);
    List<Map<String, Object>> installs = new ArrayList<>();
    List<Map<String, Object>> events = new ArrayList<>();
    List<Map<String, Object>> retention = new ArrayList<>();
    List<Map<String, Object>> ltv = new ArrayList<>();
    List<Map<String, Object>> ctit = new ArrayList<>();
    for (String app : APPS) {
      for (String src : SOURCES) {
        boolean organic = src.equals("organic");
        String campaign = organic ? null : "cmp-" + src;
        for (String country : COUNTRIES) {
          for (String platform : PLATFORMS) {
            long inst = 5 + r.nextInt(50);
            long rej = organic ? 0 : r.nextInt(5);
            installs.add(
                row(
                    "app_id",
                    app,
                    "day",
                    day,
                    "media_source",
                    src,
                    "campaign_id",
                    campaign,
                    "country",
                    country,
                    "platform",
                    platform,
                    "installs",
                    inst,
                    "organic_installs",
                    organic ? inst : 0L,
                    "re_attributions",
                    organic ? 0L : (long) r.nextInt(3),
                    "reinstalls",
                    (long) r.nextInt(2),
                    "re_engagements",
                    organic ? 0L : (long) r.nextInt(4),
                    "rejected",
                    rej,
                    "rejected_ctit",
                    rej,
                    "rejected_click_injection",
                    0L,
                    "rejected_click_flooding",
                    0L,
                    "event_date",
                    day));
            for (String[] ev :
                new String[][] {{"purchase", "USD"}, {"purchase", "EUR"}, {"level_up", null}}) {
              long n = 1 + r.nextInt(30);
              BigDecimal revenue =
                  ev[1] == null ? null : money(r.nextInt(100_000) / 100.0 + r.nextInt(1000) / 1e6);
              BigDecimal usd =
                  revenue == null
                      ? null
                      : "USD".equals(ev[1])
                          ? revenue
                          : revenue
                              .multiply(new BigDecimal("1.08"))
                              .setScale(6, RoundingMode.HALF_UP);
              events.add(
                  row(
                      "app_id",
                      app,
                      "day",
                      day,
                      "media_source",
                      src,
                      "campaign_id",
                      campaign,
                      "country",
                      country,
                      "platform",
                      platform,
                      "event_name",
                      ev[0],
                      "currency",
                      ev[1],
                      "events",
                      n,
                      "revenue_events",
                      ev[1] == null ? 0L : n,
                      "revenue",
                      revenue,
                      "revenue_usd",
                      usd,
                      "unconverted_events",
                      0L,
                      "re_engaged_events",
                      (long) r.nextInt(2),
                      "event_date",
                      day));
            }
            retention.add(
                row(
                    "app_id",
                    app,
                    "cohort_day",
                    day,
                    "media_source",
                    src,
                    "campaign_id",
                    campaign,
                    "country",
                    country,
                    "platform",
                    platform,
                    "day_n",
                    0,
                    "users",
                    inst,
                    "event_date",
                    day));
            for (int n : new int[] {1, 3}) {
              retention.add(
                  row(
                      "app_id",
                      app,
                      "cohort_day",
                      day.minusDays(n),
                      "media_source",
                      src,
                      "campaign_id",
                      campaign,
                      "country",
                      country,
                      "platform",
                      platform,
                      "day_n",
                      n,
                      "users",
                      (long) r.nextInt(20),
                      "event_date",
                      day));
            }
            for (int age : new int[] {0, 2, 6}) {
              long n = 1 + r.nextInt(10);
              ltv.add(
                  row(
                      "app_id",
                      app,
                      "cohort_day",
                      day.minusDays(age),
                      "media_source",
                      src,
                      "campaign_id",
                      campaign,
                      "country",
                      country,
                      "platform",
                      platform,
                      "age_days",
                      age,
                      "events",
                      n,
                      "revenue_events",
                      n,
                      "revenue_usd",
                      money(r.nextInt(50_000) / 100.0),
                      "event_date",
                      day));
            }
          }
        }
        if (!organic) {
          for (String site : new String[] {"site-1", "site-2", null}) {
            for (String[] b : BUCKETS) {
              long n = 1 + r.nextInt(20);
              ctit.add(
                  row(
                      "app_id",
                      app,
                      "day",
                      day,
                      "media_source",
                      src,
                      "site_id",
                      site,
                      "bucket",
                      b[0],
                      "bucket_start_seconds",
                      Integer.parseInt(b[1]),
                      "installs",
                      n,
                      "rejected",
                      b[1].equals("0") ? n : (long) r.nextInt((int) n),
                      "event_date",
                      day));
            }
          }
        }
      }
    }
    List<Map<String, Object>> speedVsBatch = new ArrayList<>();
    for (String app : APPS) {
      long matched = 50 + r.nextInt(50);
      long late = r.nextInt(4);
      long other = r.nextInt(3);
      speedVsBatch.add(
          row(
              "app_id",
              app,
              "batch_verdicts",
              matched + late + other,
              "speed_verdicts",
              matched + late,
              "speed_rows",
              matched + late,
              "matched",
              matched,
              "touch_arrived_after_install",
              0L,
              "late_install",
              late,
              "duplicate",
              0L,
              "batch_only_fraud_signal",
              0L,
              "other",
              other,
              "speed_available",
              1L,
              "event_date",
              day));
    }
    tables.put("daily_installs", installs);
    tables.put("daily_events", events);
    tables.put("retention", retention);
    tables.put("ltv", ltv);
    tables.put("ctit_histogram", ctit);
    tables.put("speed_vs_batch", speedVsBatch);
  }

  static BigDecimal money(double v) {
    return BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_UP);
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /**
   * Writes every table's day as one Parquet file under the export folder, as the batch layer does.
   */
  public void writeTo(ClickHouseHttp ch, ServingConfig c) {
    BatchLoader loader = new BatchLoader(ch, c, s -> {});
    for (Map.Entry<String, List<Map<String, Object>>> t : tables.entrySet()) {
      String url =
          loader.exportUrl(t.getKey(), day).replace("*.parquet", "part-00000-test.snappy.parquet");
      String fn =
          BatchLoader.s3(c, url, "Parquet")
              .replaceFirst("\\)$", ", '" + STRUCTURE.get(t.getKey()) + "')");
      StringBuilder body = new StringBuilder();
      for (Map<String, Object> row : t.getValue()) {
        body.append(json(row)).append('\n');
      }
      ch.insert(
          "INSERT INTO FUNCTION " + fn + " SETTINGS s3_truncate_on_insert = 1 FORMAT JSONEachRow",
          body.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  static String json(Map<String, Object> row) {
    StringBuilder b = new StringBuilder("{");
    row.forEach(
        (k, v) -> {
          b.append(b.length() == 1 ? "" : ",").append('"').append(k).append("\":");
          if (v == null) {
            b.append("null");
          } else if (v instanceof Number) {
            b.append(v instanceof BigDecimal d ? d.toPlainString() : v.toString());
          } else {
            b.append('"').append(v.toString().replace("\"", "\\\"")).append('"');
          }
        });
    return b.append('}').toString();
  }

  // ---- expected dashboard numbers (window = the `days` days ending at `date`) ----

  /** key columns -> (measure -> value), for one named query. */
  public Map<List<String>, Map<String, BigDecimal>> expected(
      String query, LocalDate date, int days) {
    LocalDate from = date.minusDays(days - 1L);
    Map<List<String>, Map<String, BigDecimal>> out = new LinkedHashMap<>();
    switch (query) {
      case "installs_by_source" -> {
        for (Map<String, Object> r : tables.get("daily_installs")) {
          if (in(r.get("day"), from, date)) {
            add(
                out,
                List.of(s(r.get("day")), s(r.get("media_source"))),
                r,
                "installs",
                "re_attributions",
                "re_engagements",
                "rejected");
          }
        }
      }
      case "organic_vs_paid" -> {
        for (Map<String, Object> r : tables.get("daily_installs")) {
          if (in(r.get("day"), from, date)) {
            Map<String, BigDecimal> m = add(out, List.of(s(r.get("day"))), r, "installs");
            m.merge("organic", num(r.get("organic_installs")), BigDecimal::add);
            m.merge(
                "paid",
                num(r.get("installs")).subtract(num(r.get("organic_installs"))),
                BigDecimal::add);
          }
        }
      }
      case "retention_cohorts" -> {
        for (Map<String, Object> r : tables.get("retention")) {
          if (in(r.get("cohort_day"), from, date)) {
            Map<String, BigDecimal> m =
                out.computeIfAbsent(
                    List.of(s(r.get("cohort_day")), s(r.get("media_source"))),
                    k -> zeros("cohort_users", "d1", "d3", "d7", "d14", "d30"));
            int n = (Integer) r.get("day_n");
            String col = n == 0 ? "cohort_users" : "d" + n;
            if (m.containsKey(col)) {
              m.merge(col, num(r.get("users")), BigDecimal::add);
            }
          }
        }
      }
      case "revenue_ltv_by_cohort" -> {
        for (Map<String, Object> r : tables.get("ltv")) {
          if (in(r.get("cohort_day"), from, date)) {
            Map<String, BigDecimal> m =
                out.computeIfAbsent(
                    List.of(s(r.get("cohort_day")), s(r.get("media_source"))),
                    k ->
                        zeros(
                            "cohort_users",
                            "revenue_d0",
                            "revenue_d7",
                            "revenue_d30",
                            "revenue_total"));
            int age = (Integer) r.get("age_days");
            BigDecimal v = num(r.get("revenue_usd"));
            if (age <= 0) {
              m.merge("revenue_d0", v, BigDecimal::add);
            }
            if (age <= 7) {
              m.merge("revenue_d7", v, BigDecimal::add);
            }
            if (age <= 30) {
              m.merge("revenue_d30", v, BigDecimal::add);
            }
            m.merge("revenue_total", v, BigDecimal::add);
          }
        }
        for (Map<String, Object> r : tables.get("retention")) {
          if (in(r.get("cohort_day"), from, date) && ((Integer) r.get("day_n")) == 0) {
            out.computeIfAbsent(
                    List.of(s(r.get("cohort_day")), s(r.get("media_source"))),
                    k ->
                        zeros(
                            "cohort_users",
                            "revenue_d0",
                            "revenue_d7",
                            "revenue_d30",
                            "revenue_total"))
                .merge("cohort_users", num(r.get("users")), BigDecimal::add);
          }
        }
      }
      case "fraud_by_source_site" -> {
        for (Map<String, Object> r : tables.get("ctit_histogram")) {
          if (in(r.get("day"), from, date)) {
            Map<String, BigDecimal> m =
                out.computeIfAbsent(
                    List.of(s(r.get("media_source")), s(r.get("site_id"))),
                    k -> zeros("click_installs", "rejected", "under_10s"));
            m.merge("click_installs", num(r.get("installs")), BigDecimal::add);
            m.merge("rejected", num(r.get("rejected")), BigDecimal::add);
            if (((Integer) r.get("bucket_start_seconds")) == 0) {
              m.merge("under_10s", num(r.get("installs")), BigDecimal::add);
            }
          }
        }
      }
      case "today_so_far" -> {
        for (Map<String, Object> r : tables.get("daily_installs")) {
          if (date.equals(r.get("day"))) {
            Map<String, BigDecimal> m =
                out.computeIfAbsent(
                    List.of(s(r.get("app_id")), s(r.get("media_source"))),
                    k -> zeros("installs", "organic", "rejected", "events", "revenue_usd"));
            m.merge("installs", num(r.get("installs")), BigDecimal::add);
            m.merge("organic", num(r.get("organic_installs")), BigDecimal::add);
            m.merge("rejected", num(r.get("rejected")), BigDecimal::add);
          }
        }
        for (Map<String, Object> r : tables.get("daily_events")) {
          if (date.equals(r.get("day"))) {
            Map<String, BigDecimal> m =
                out.computeIfAbsent(
                    List.of(s(r.get("app_id")), s(r.get("media_source"))),
                    k -> zeros("installs", "organic", "rejected", "events", "revenue_usd"));
            m.merge("events", num(r.get("events")), BigDecimal::add);
            m.merge("revenue_usd", num(r.get("revenue_usd")), BigDecimal::add);
          }
        }
      }
      case "demo_report" -> {
        Map<String, BigDecimal> m =
            out.computeIfAbsent(
                List.of("total"),
                k -> zeros("installs", "organic", "paid", "rejected", "events", "revenue_usd"));
        for (Map<String, Object> r : tables.get("daily_installs")) {
          if (in(r.get("day"), from, date)) {
            m.merge("installs", num(r.get("installs")), BigDecimal::add);
            m.merge("organic", num(r.get("organic_installs")), BigDecimal::add);
            m.merge(
                "paid",
                num(r.get("installs")).subtract(num(r.get("organic_installs"))),
                BigDecimal::add);
            m.merge("rejected", num(r.get("rejected")), BigDecimal::add);
          }
        }
        for (Map<String, Object> r : tables.get("daily_events")) {
          if (in(r.get("day"), from, date)) {
            m.merge("events", num(r.get("events")), BigDecimal::add);
            m.merge("revenue_usd", num(r.get("revenue_usd")), BigDecimal::add);
          }
        }
      }
      default -> throw new IllegalArgumentException(query);
    }
    return out;
  }

  /** Key columns of each query's result. */
  public static List<String> keyColumns(String query) {
    return switch (query) {
      case "installs_by_source" -> List.of("day", "media_source");
      case "organic_vs_paid" -> List.of("day");
      case "retention_cohorts", "revenue_ltv_by_cohort" -> List.of("cohort_day", "media_source");
      case "fraud_by_source_site" -> List.of("media_source", "site_id");
      case "today_so_far" -> List.of("app_id", "media_source");
      case "demo_report" -> List.of("scope");
      default -> throw new IllegalArgumentException(query);
    };
  }

  private static Map<String, BigDecimal> zeros(String... names) {
    Map<String, BigDecimal> m = new LinkedHashMap<>();
    for (String n : names) {
      m.put(n, BigDecimal.ZERO);
    }
    return m;
  }

  private static Map<String, BigDecimal> add(
      Map<List<String>, Map<String, BigDecimal>> out,
      List<String> key,
      Map<String, Object> r,
      String... measures) {
    Map<String, BigDecimal> m = out.computeIfAbsent(key, k -> new LinkedHashMap<>());
    for (String ms : measures) {
      m.merge(ms, num(r.get(ms)), BigDecimal::add);
    }
    return m;
  }

  private static boolean in(Object d, LocalDate from, LocalDate to) {
    LocalDate x = (LocalDate) d;
    return !x.isBefore(from) && !x.isAfter(to);
  }

  static String s(Object o) {
    return o == null ? "" : o.toString();
  }

  static BigDecimal num(Object o) {
    if (o == null) {
      return BigDecimal.ZERO;
    }
    if (o instanceof BigDecimal d) {
      return d;
    }
    return new BigDecimal(o.toString());
  }

  /** Compares a query result with the expectation: same keys, same measures (to 1e-6). */
  public static void assertMatches(
      String query,
      NamedQueries.Table actual,
      Map<List<String>, Map<String, BigDecimal>> expected) {
    List<String> keys = keyColumns(query);
    Map<List<String>, Map<String, BigDecimal>> got = new LinkedHashMap<>();
    for (List<Object> row : actual.rows()) {
      List<String> k = new ArrayList<>();
      for (String kc : keys) {
        k.add(s(row.get(actual.columns().indexOf(kc))));
      }
      Map<String, BigDecimal> m = new LinkedHashMap<>();
      for (String measure : expected.values().iterator().next().keySet()) {
        int i = actual.columns().indexOf(measure);
        if (i < 0) {
          throw new AssertionError(query + ": no column " + measure + " in " + actual.columns());
        }
        m.put(measure, num(row.get(i)).setScale(4, RoundingMode.HALF_UP));
      }
      if (got.put(k, m) != null) {
        throw new AssertionError(query + ": key " + k + " twice");
      }
    }
    Map<List<String>, Map<String, BigDecimal>> want = new LinkedHashMap<>();
    expected.forEach(
        (k, v) -> {
          Map<String, BigDecimal> m = new LinkedHashMap<>();
          v.forEach((mk, mv) -> m.put(mk, mv.setScale(4, RoundingMode.HALF_UP)));
          want.put(k, m);
        });
    if (!want.equals(got)) {
      throw new AssertionError(query + ": expected\n  " + want + "\nbut got\n  " + got);
    }
  }
}
