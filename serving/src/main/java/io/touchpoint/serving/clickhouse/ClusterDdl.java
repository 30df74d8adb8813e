package io.touchpoint.serving.clickhouse;

import io.touchpoint.serving.ServingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The production cluster variant of the DDL, generated from the same files the single server runs:
 * every statement gets {@code ON CLUSTER <name>}; a {@code *MergeTree} table {@code db.t} becomes
 * {@code db.t_local} with the {@code Replicated*MergeTree} engine (ZooKeeper/Keeper path {@code
 * /clickhouse/tables/{shard}/{database}/t_local}, replica {@code {replica}}) plus a {@code
 * Distributed} table {@code db.t} over it, sharded by a hash of the sorting key (rows that
 * ReplacingMergeTree must de-duplicate land on the same shard). Views, dashboard queries and loads
 * keep reading {@code db.t}; materialized views write into {@code db.t_local}; partition swaps
 * ({@code REPLACE PARTITION}) act on {@code db.t_local}.
 */
public final class ClusterDdl {
  private static final Pattern HEADER =
      Pattern.compile(
          "^(CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TABLE|VIEW|MATERIALIZED\\s+VIEW|DATABASE|ROLE|SETTINGS\\s+PROFILE|FUNCTION|USER)"
              + "\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)([A-Za-z0-9_.`]+)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ENGINE =
      Pattern.compile(
          "ENGINE\\s*=\\s*([A-Za-z]*MergeTree)(\\s*\\(([^)]*)\\))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern MV_TO =
      Pattern.compile("(\\bTO\\s+)([A-Za-z0-9_.`]+)(\\s+AS\\b)", Pattern.CASE_INSENSITIVE);

  /** An ALTER of a table's storage (TTL, settings) applies to its local replicated table. */
  private static final Pattern ALTER_TABLE =
      Pattern.compile("^\\s*ALTER\\s+TABLE\\s+([A-Za-z0-9_.`]+)\\s+", Pattern.CASE_INSENSITIVE);

  private static final Pattern GRANT =
      Pattern.compile("^(GRANT|REVOKE)\\s+", Pattern.CASE_INSENSITIVE);
  private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ClusterDdl() {}

  public static String ident(String name) {
    if (!IDENT.matcher(name).matches()) {
      throw new ServingException("not a plain identifier: '" + name + "'");
    }
    return name;
  }

  /** The cluster statements for one single-server statement (one or two statements). */
  public static List<String> transform(String statement, String cluster) {
    String c = ident(cluster);
    String s = SqlScript.stripComments(statement);
    Matcher g = GRANT.matcher(s);
    if (g.find()) {
      return List.of(
          g.replaceFirst(g.group(1).toUpperCase(Locale.ROOT) + " ON CLUSTER " + c + " "));
    }
    Matcher a = ALTER_TABLE.matcher(s);
    if (a.find()) {
      return List.of(
          "ALTER TABLE "
              + a.group(1)
              + "_local ON CLUSTER "
              + c
              + " "
              + s.substring(a.end()).strip());
    }
    if (s.stripLeading().regionMatches(true, 0, "INSERT", 0, 6)) {
      // data (a migration's one-time fill): once, through the Distributed tables, which shard it
      return List.of(s.strip());
    }
    Matcher h = HEADER.matcher(s);
    if (!h.find()) {
      throw new ServingException("cannot make a cluster variant of: " + ClickHouseHttp.shortSql(s));
    }
    String header = h.group(1);
    String name = h.group(2);
    String rest = s.substring(h.end());
    boolean table =
        header.toUpperCase(Locale.ROOT).matches("CREATE\\s+(OR\\s+REPLACE\\s+)?TABLE.*");
    Matcher e = ENGINE.matcher(rest);
    if (table && e.find()) {
      String localName = name + "_local";
      String bare =
          localName.contains(".") ? localName.substring(localName.lastIndexOf('.') + 1) : localName;
      String args = e.group(3) == null || e.group(3).isBlank() ? "" : ", " + e.group(3).strip();
      String engine =
          "ENGINE = Replicated"
              + e.group(1)
              + "('/clickhouse/tables/{shard}/{database}/"
              + bare
              + "', '{replica}'"
              + args
              + ")";
      String local =
          header
              + localName
              + " ON CLUSTER "
              + c
              + rest.substring(0, e.start())
              + engine
              + rest.substring(e.end());
      String db =
          name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : "currentDatabase()";
      String orderBy = orderBy(rest);
      String shardKey = orderBy == null ? "rand()" : "cityHash64(" + stripParens(orderBy) + ")";
      String dist =
          header
              + name
              + " ON CLUSTER "
              + c
              + " AS "
              + localName
              + "\nENGINE = Distributed("
              + c
              + ", "
              + db
              + ", "
              + bare
              + ", "
              + shardKey
              + ")";
      return List.of(local, dist);
    }
    String out = header + name + " ON CLUSTER " + c + rest;
    Matcher to = MV_TO.matcher(out);
    if (header.toUpperCase(Locale.ROOT).contains("MATERIALIZED") && to.find()) {
      out =
          out.substring(0, to.start())
              + to.group(1)
              + to.group(2)
              + "_local"
              + to.group(3)
              + out.substring(to.end());
    }
    return List.of(out);
  }

  /** A whole script's cluster variant, one statement per entry. */
  public static List<String> transformScript(String script, String cluster) {
    List<String> out = new ArrayList<>();
    for (String st : SqlScript.split(script)) {
      out.addAll(transform(st, cluster));
    }
    return out;
  }

  /** The ORDER BY expression of a CREATE TABLE (balanced parentheses), or null. */
  static String orderBy(String ddlTail) {
    Matcher m = Pattern.compile("\\bORDER\\s+BY\\s+", Pattern.CASE_INSENSITIVE).matcher(ddlTail);
    if (!m.find()) {
      return null;
    }
    int i = m.end();
    int depth = 0;
    StringBuilder b = new StringBuilder();
    for (; i < ddlTail.length(); i++) {
      char ch = ddlTail.charAt(i);
      if (ch == '(') {
        depth++;
      } else if (ch == ')') {
        depth--;
      } else if (depth == 0
          && (ch == '\n'
              || Character.isWhitespace(ch)
                  && b.length() > 0
                  && ddlTail
                      .substring(i)
                      .stripLeading()
                      .matches("(?is)^(TTL|SETTINGS|PRIMARY|SAMPLE)\\b.*"))) {
        break;
      }
      b.append(ch);
    }
    return b.toString().strip();
  }

  private static String stripParens(String s) {
    String t = s.strip();
    if (t.startsWith("(") && t.endsWith(")")) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }
}
