package io.touchpoint.serving;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Prints a result as an aligned text table (numbers right-aligned). */
public final class TablePrinter {
  private TablePrinter() {}

  public static String render(List<String> columns, List<List<Object>> rows) {
    int n = columns.size();
    int[] width = new int[n];
    boolean[] numeric = new boolean[n];
    java.util.Arrays.fill(numeric, true);
    List<String[]> cells = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      width[i] = columns.get(i).length();
    }
    for (List<Object> row : rows) {
      String[] c = new String[n];
      for (int i = 0; i < n; i++) {
        Object v = i < row.size() ? row.get(i) : null;
        c[i] = format(v);
        numeric[i] &= v == null || v instanceof Number;
        width[i] = Math.max(width[i], c[i].length());
      }
      cells.add(c);
    }
    StringBuilder b = new StringBuilder();
    line(b, columns.toArray(String[]::new), width, numeric);
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      rule.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
    }
    b.append(rule).append('\n');
    for (String[] c : cells) {
      line(b, c, width, numeric);
    }
    b.append(rows.size()).append(rows.size() == 1 ? " row\n" : " rows\n");
    return b.toString();
  }

  private static void line(StringBuilder b, String[] c, int[] width, boolean[] numeric) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < c.length; i++) {
      String pad = " ".repeat(width[i] - c[i].length());
      l.append(i == 0 ? "" : "  ").append(numeric[i] ? pad + c[i] : c[i] + pad);
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }

  static String format(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double || v instanceof Float) {
      BigDecimal d =
          BigDecimal.valueOf(((Number) v).doubleValue())
              .setScale(6, java.math.RoundingMode.HALF_UP)
              .stripTrailingZeros();
      return d.scale() <= 0 ? d.toBigInteger().toString() : d.toPlainString();
    }
    if (v instanceof BigDecimal d) {
      return d.stripTrailingZeros().toPlainString();
    }
    return v.toString();
  }
}
