package io.touchpoint.serving.clickhouse;

import io.touchpoint.serving.Resources;
import io.touchpoint.serving.ServingException;
import io.touchpoint.serving.Template;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the numbered migrations ({@code clickhouse/migrations/NNNN_name.sql}) once each, in
 * order, recording {@code (version, name, checksum)} in {@code <db>.schema_migrations}. Re-running
 * is a no-op; a file changed after it was applied is an error (add a new migration instead).
 * ClickHouse DDL is not transactional: a migration that fails half-way is not recorded, so its
 * statements are written to be re-runnable ({@code IF NOT EXISTS}, {@code OR REPLACE}).
 */
public final class Migrations {
  public static final String DIR = "clickhouse/migrations";
  private static final Pattern FILE = Pattern.compile("(\\d{4})_([a-z0-9_]+)\\.sql");

  private final ClickHouseHttp ch;
  private final String database;
  private final String cluster;
  private final String rulesFile;
  private final Consumer<String> log;

  public Migrations(
      ClickHouseHttp ch, String database, String cluster, String rulesFile, Consumer<String> log) {
    this.ch = ch;
    this.database = ClusterDdl.ident(database);
    this.cluster = cluster == null ? "" : cluster;
    this.rulesFile = rulesFile;
    this.log = log;
  }

  /** One migration file. */
  public record Migration(int version, String name, String file, String text, String checksum) {}

  /** What a run did. */
  public record Outcome(List<String> applied, List<String> skipped) {}

  public static List<Migration> available() {
    List<Migration> out = new ArrayList<>();
    for (String f : Resources.list(DIR, ".sql")) {
      Matcher m = FILE.matcher(f);
      if (!m.matches()) {
        throw new ServingException("migration file name must be NNNN_name.sql: " + f);
      }
      String text = Resources.text(DIR + "/" + f);
      out.add(new Migration(Integer.parseInt(m.group(1)), m.group(2), f, text, sha256(text)));
    }
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).version() == out.get(i - 1).version()) {
        throw new ServingException("two migrations with version " + out.get(i).version());
      }
    }
    return out;
  }

  /** The statements of a migration for this database (and cluster, if any). */
  public List<String> statements(Migration m) {
    String sql = Template.fill(m.text(), Map.of("db", database));
    return cluster.isBlank() ? SqlScript.split(sql) : ClusterDdl.transformScript(sql, cluster);
  }

  public List<String> bootstrapStatements() {
    String onCluster = cluster.isBlank() ? "" : " ON CLUSTER " + ClusterDdl.ident(cluster);
    List<String> out = new ArrayList<>();
    out.add("CREATE DATABASE IF NOT EXISTS " + database + onCluster);
    String table =
        "CREATE TABLE IF NOT EXISTS "
            + database
            + ".schema_migrations\n(\n    version UInt32,\n"
            + "    name String,\n    checksum String,\n    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)\n)\n"
            + "ENGINE = ReplacingMergeTree\nORDER BY version";
    out.addAll(cluster.isBlank() ? List.of(table) : ClusterDdl.transform(table, cluster));
    return out;
  }

  public Outcome run() {
    for (String st : bootstrapStatements()) {
      ch.execute(st);
    }
    ch.execute(LocalDayFunction.ddl(rulesFile, cluster));
    Map<Integer, String[]> applied = new LinkedHashMap<>();
    String rows =
        ch.execute(
            "SELECT version, name, checksum FROM "
                + database
                + ".schema_migrations FINAL ORDER BY version FORMAT TabSeparated");
    for (String line : rows.split("\n")) {
      if (!line.isBlank()) {
        String[] f = line.split("\t");
        applied.put(Integer.parseInt(f[0]), f);
      }
    }
    List<String> done = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Migration m : available()) {
      String[] prior = applied.get(m.version());
      if (prior != null) {
        if (!prior[2].equals(m.checksum())) {
          throw new ServingException(
              "migration "
                  + m.file()
                  + " was changed after it was applied to "
                  + database
                  + " (checksum "
                  + prior[2].substring(0, 12)
                  + "... recorded, "
                  + m.checksum().substring(0, 12)
                  + "... now): never edit an applied migration, add a new one");
        }
        skipped.add(m.file());
        continue;
      }
      long t0 = System.nanoTime();
      for (String st : statements(m)) {
        ch.execute(st);
      }
      ch.execute(
          "INSERT INTO "
              + database
              + ".schema_migrations (version, name, checksum) VALUES ("
              + m.version()
              + ", '"
              + Template.sqlString(m.name())
              + "', '"
              + m.checksum()
              + "')");
      done.add(m.file());
      log.accept(
          String.format("applied %s in %d ms", m.file(), (System.nanoTime() - t0) / 1_000_000));
    }
    return new Outcome(done, skipped);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
