package io.touchpoint.serving;

import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import io.touchpoint.serving.druid.DruidClient;
import io.touchpoint.serving.druid.DruidSpecs;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The named dashboard queries: {@code clickhouse/queries/NAME.sql} and {@code
 * druid/queries/NAME.sql}.
 */
public final class NamedQueries {
  public static final List<String> NAMES =
      List.of(
          "installs_by_source",
          "organic_vs_paid",
          "retention_cohorts",
          "revenue_ltv_by_cohort",
          "fraud_by_source_site",
          "today_so_far",
          "demo_report");
  private static final Pattern APP = Pattern.compile("[A-Za-z0-9._:\\-]*");

  private NamedQueries() {}

  /** Parameters of a run: the last report day, the window length in days, one app or "" for all. */
  public record Params(LocalDate date, int days, String app) {
    public Params {
      if (days < 1 || days > 3660) {
        throw new ServingException("--days must be between 1 and 3660, got " + days);
      }
      if (app == null) {
        app = "";
      }
      if (!APP.matcher(app).matches()) {
        throw new ServingException(
            "--app may hold letters, digits and . _ : - only, got '" + app + "'");
      }
    }
  }

  /** A result: column names and rows of Number / String / null. */
  public record Table(List<String> columns, List<List<Object>> rows) {}

  public static void check(String name) {
    if (!NAMES.contains(name)) {
      throw new ServingException(
          "unknown query '" + name + "'; known: " + String.join(", ", NAMES));
    }
  }

  public static String clickhouseSql(String name, String database) {
    check(name);
    return Template.fill(
        Resources.text("clickhouse/queries/" + name + ".sql"), Map.of("db", database));
  }

  public static Table clickhouse(ClickHouseHttp ch, String database, String name, Params p) {
    ClickHouseHttp.Result r =
        ch.query(
            clickhouseSql(name, database),
            Map.of(
                "date", p.date().toString(), "days", Integer.toString(p.days()), "app", p.app()));
    return new Table(r.columns(), r.rows());
  }

  public static String druidSql(String name, ServingConfig c, Params p) {
    check(name);
    Map<String, String> v = new HashMap<>(DruidSpecs.datasourceNames(c));
    LocalDate from = p.date().minusDays(p.days() - 1L);
    v.put("date", p.date().toString());
    v.put("from", from.toString());
    v.put("app", p.app());
    // a plain filter (not "'' = '' OR ...") so that Druid uses the app_id bitmap index
    v.put("app_filter", p.app().isEmpty() ? "TRUE" : "app_id = '" + p.app() + "'");
    // __time of a row is its UTC event time (realtime) or the UTC day the batch computed; a report
    // day in any zone lies within one day of the UTC days that can hold it
    v.put("time_from", from.minusDays(1) + " 00:00:00");
    v.put("day_time_from", p.date().minusDays(1) + " 00:00:00");
    v.put("time_to", p.date().plusDays(2) + " 00:00:00");
    v.put("time_to_cohort", p.date().plusDays(33) + " 00:00:00");
    return Template.fill(Resources.text("druid/queries/" + name + ".sql"), v);
  }

  public static Table druid(DruidClient druid, ServingConfig c, String name, Params p) {
    DruidClient.SqlResult r = druid.sql(druidSql(name, c, p));
    return new Table(r.columns(), r.rows());
  }
}
