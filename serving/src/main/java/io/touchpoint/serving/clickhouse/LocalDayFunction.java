package io.touchpoint.serving.clickhouse;

import io.touchpoint.attribution.RulesConfig;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code tp_local_day(app_id, t)}: the report day of an instant in the app's time zone, as the
 * batch layer's {@code tp_local_day} computes it from the attribution rules. ClickHouse needs a
 * constant time zone per {@code toDate} call, so the function is generated from the rules: a {@code
 * multiIf} over the apps whose zone differs from the default. Re-created (CREATE OR REPLACE) by
 * every {@code serve migrate} and load, so a rules change reaches the views.
 */
public final class LocalDayFunction {
  public static final String NAME = "tp_local_day";

  private LocalDayFunction() {}

  /**
   * From shared-model's rules ({@code attribution.conf} overlaid by {@code rulesFile} if not
   * blank).
   */
  public static String ddl(String rulesFile, String cluster) {
    Path file = rulesFile == null || rulesFile.isBlank() ? null : Path.of(rulesFile);
    RulesConfig rules = file == null ? RulesConfig.defaults() : RulesConfig.load(file);
    ZoneId defaultZone = rules.defaultRules().timeZone();
    Map<String, ZoneId> zones = new TreeMap<>();
    for (String app : rules.appIds()) {
      ZoneId z = rules.rulesFor(app).timeZone();
      if (!z.equals(defaultZone)) {
        zones.put(app, z);
      }
    }
    return ddl(defaultZone, zones, cluster);
  }

  static String ddl(ZoneId defaultZone, Map<String, ZoneId> zones, String cluster) {
    String onCluster =
        cluster == null || cluster.isBlank() ? "" : " ON CLUSTER " + ClusterDdl.ident(cluster);
    StringBuilder body = new StringBuilder();
    if (zones.isEmpty()) {
      body.append("toDate(t, '").append(zone(defaultZone)).append("')");
    } else {
      body.append("multiIf(");
      zones.forEach(
          (app, z) ->
              body.append("app = '")
                  .append(app.replace("\\", "\\\\").replace("'", "\\'"))
                  .append("', toDate(t, '")
                  .append(zone(z))
                  .append("'), "));
      body.append("toDate(t, '").append(zone(defaultZone)).append("'))");
    }
    return "CREATE OR REPLACE FUNCTION " + NAME + onCluster + " AS (app, t) -> " + body;
  }

  private static String zone(ZoneId z) {
    // ClickHouse knows the IANA names; java's "Z" / offsets are spelled as UTC / Etc zones
    String id = z.normalized().getId();
    return "Z".equals(id) ? "UTC" : id;
  }
}
