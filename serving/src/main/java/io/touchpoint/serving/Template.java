package io.touchpoint.serving;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${name}} placeholders in the SQL files and specs. Every placeholder must be given (a typo
 * fails loudly instead of reaching the engine); ClickHouse's own {@code {name:Type}} query
 * parameters and cluster macros ({@code {shard}}) are left alone.
 */
public final class Template {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_][a-z0-9_]*)}");

  private Template() {}

  public static String fill(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    TreeSet<String> missing = new TreeSet<>();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        missing.add(m.group(1));
        v = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    if (!missing.isEmpty()) {
      throw new ServingException("no value for placeholder(s) " + missing);
    }
    return out.toString();
  }

  /**
   * A string literal for ClickHouse or Druid SQL: single quotes, backslashes and quotes escaped.
   */
  public static String sqlString(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'");
  }
}
