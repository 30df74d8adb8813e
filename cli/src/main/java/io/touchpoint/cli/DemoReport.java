package io.touchpoint.cli;

import io.touchpoint.serving.NamedQueries;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's last screen: the {@code demo_report} totals of one report day read back from
 * ClickHouse and from Druid side by side, whether the two engines agree, and the speed vs batch
 * agreement with every difference counted by class (ClickHouse's {@code speed_vs_batch}).
 */
final class DemoReport {
  /** The totals both engines serve, with how to print them. Money is compared to the cent. */
  private static final List<String[]> TOTALS =
      List.of(
          new String[] {"installs", "installs (organic + paid)", "0"},
          new String[] {"organic", "organic", "0"},
          new String[] {"paid", "paid", "0"},
          new String[] {"organic_share", "organic share", "4"},
          new String[] {"rejected", "rejected as fraud", "0"},
          new String[] {"events", "in-app events", "0"},
          new String[] {"revenue_usd", "revenue (USD)", "2"});

  private static final List<String[]> DIFFERENCES =
      List.of(
          new String[] {"diff_touch_after_install", "touch arrived after install"},
          new String[] {"diff_late_install", "late install"},
          new String[] {"diff_duplicate", "duplicate"},
          new String[] {"diff_batch_only_fraud", "batch-only fraud signal"},
          new String[] {"diff_other", "other"});

  private final NamedQueries.Table clickhouse;
  private final NamedQueries.Table druid;

  DemoReport(NamedQueries.Table clickhouse, NamedQueries.Table druid) {
    this.clickhouse = clickhouse;
    this.druid = druid;
  }

  /** The totals where the engines differ (empty: they agree). */
  List<String> disagreements() {
    List<String> out = new ArrayList<>();
    for (String[] t : TOTALS) {
      BigDecimal a = value(clickhouse, t[0], Integer.parseInt(t[2]));
      BigDecimal b = value(druid, t[0], Integer.parseInt(t[2]));
      if (a == null || b == null || a.compareTo(b) != 0) {
        out.add(t[1] + ": ClickHouse " + a + ", Druid " + b);
      }
    }
    return out;
  }

  String render(String day) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT, "Touchpoint demo report, report day %s (each app's time zone)%n", day));
    s.append(String.format(Locale.ROOT, "  %-28s %14s %14s%n", "", "ClickHouse", "Druid"));
    for (String[] t : TOTALS) {
      int scale = Integer.parseInt(t[2]);
      BigDecimal a = value(clickhouse, t[0], scale);
      BigDecimal b = value(druid, t[0], scale);
      String mark =
          a != null && a.compareTo(b == null ? BigDecimal.ONE.negate() : b) == 0
              ? ""
              : "   <- differs";
      s.append(
          String.format(
              Locale.ROOT, "  %-28s %14s %14s%s%n", t[1], format(a, t[0]), format(b, t[0]), mark));
    }
    BigDecimal reconciled = value(clickhouse, "reconciled", 0);
    BigDecimal agree = value(clickhouse, "speed_batch_agree", 0);
    if (reconciled == null || reconciled.signum() == 0) {
      s.append("  speed vs batch agreement     (no reconciliation loaded for the day)\n");
    } else {
      s.append(
          String.format(
              Locale.ROOT,
              "  speed vs batch agreement     %13.2f %%   (%s of %s candidates)%n",
              agree.doubleValue() * 100 / reconciled.doubleValue(),
              agree.toPlainString(),
              reconciled.toPlainString()));
      for (String[] d : DIFFERENCES) {
        s.append(
            String.format(
                Locale.ROOT, "    %-28s %10s%n", d[1], value(clickhouse, d[0], 0).toPlainString()));
      }
    }
    List<String> differ = disagreements();
    s.append(
        differ.isEmpty()
            ? "  ClickHouse and Druid serve the same totals.\n"
            : "  ClickHouse and Druid DIFFER: " + String.join("; ", differ) + "\n");
    return s.toString();
  }

  private static String format(BigDecimal v, String column) {
    if (v == null) {
      return "-";
    }
    if (column.equals("organic_share")) {
      return String.format(Locale.ROOT, "%.2f %%", v.doubleValue() * 100);
    }
    return String.format(
        Locale.ROOT, v.scale() > 0 ? "%,.2f" : "%,d", v.scale() > 0 ? v : v.longValueExact());
  }

  /**
   * The single row's value of a column, rounded; null when the column or row is missing or NULL.
   */
  private static BigDecimal value(NamedQueries.Table t, String column, int scale) {
    int i = t.columns().indexOf(column);
    if (i < 0 || t.rows().isEmpty() || t.rows().get(0).get(i) == null) {
      return null;
    }
    return new BigDecimal(t.rows().get(0).get(i).toString()).setScale(scale, RoundingMode.HALF_UP);
  }
}
