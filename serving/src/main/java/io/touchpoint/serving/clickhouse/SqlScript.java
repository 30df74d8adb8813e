package io.touchpoint.serving.clickhouse;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL file into statements on {@code ;}, ignoring semicolons inside quotes ({@code '...'},
 * {@code "..."}, {@code `...`}) and comments ({@code -- ...}, {@code /* ... *}{@code /}). Comments
 * are kept inside the statement text; statements that are only comments are dropped.
 */
public final class SqlScript {
  private SqlScript() {}

  public static List<String> split(String sql) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        end = end < 0 ? n : end;
        cur.append(sql, i, end);
        i = end - 1;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        end = end < 0 ? n : end + 2;
        cur.append(sql, i, end);
        i = end - 1;
      } else if (c == '\'' || c == '"' || c == '`') {
        int j = i + 1;
        while (j < n && sql.charAt(j) != c) {
          j += sql.charAt(j) == '\\' ? 2 : 1;
        }
        j = Math.min(j, n - 1);
        cur.append(sql, i, j + 1);
        i = j;
      } else if (c == ';') {
        add(out, cur);
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!stripComments(s).isBlank()) {
      out.add(s);
    }
  }

  /** The statement without its comment lines (for checks and short log lines). */
  public static String stripComments(String s) {
    StringBuilder b = new StringBuilder();
    for (String line : s.split("\n")) {
      String t = line.strip();
      if (!t.startsWith("--")) {
        b.append(line).append('\n');
      }
    }
    return b.toString().strip();
  }
}
