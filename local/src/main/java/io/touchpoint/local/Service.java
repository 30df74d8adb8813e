package io.touchpoint.local;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What the stack can run; the unit of {@code --only} and {@code @EmbeddedStack(services=...)}. */
public enum Service {
  /** Kafka broker and controller (KRaft, one node). */
  KAFKA,
  /** S3 API (S3Proxy on a folder) with the lake bucket. */
  S3,
  /** The ClickHouse engine behind the ClickHouse HTTP interface. */
  CLICKHOUSE,
  /** Druid: ZooKeeper, coordinator-overlord, broker, historical, indexer, router. Needs S3. */
  DRUID,
  /** Airflow 3 installed in the project virtualenv (a tool; nothing stays running). */
  AIRFLOW,
  /** Apache Superset with the dashboards bundle, on ClickHouse. Needs CLICKHOUSE. */
  SUPERSET;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Services this one needs running first. */
  public Set<Service> requires() {
    return switch (this) {
      case DRUID -> EnumSet.of(S3);
      case SUPERSET -> EnumSet.of(CLICKHOUSE);
      default -> EnumSet.noneOf(Service.class);
    };
  }

  public static Service parse(String s) {
    String k = s.trim().toUpperCase(Locale.ROOT);
    for (Service v : values()) {
      if (v.name().equals(k)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown service '"
            + s.trim()
            + "' (known: "
            + Arrays.stream(values()).map(Service::id).collect(Collectors.joining(", "))
            + ")");
  }

  /** Parses "kafka,s3" (empty or null: all). */
  public static Set<Service> parseList(String csv) {
    if (csv == null || csv.isBlank()) {
      return EnumSet.allOf(Service.class);
    }
    EnumSet<Service> out = EnumSet.noneOf(Service.class);
    for (String part : csv.split(",")) {
      if (!part.isBlank()) {
        out.add(parse(part));
      }
    }
    return out;
  }

  /** The set with everything its members require, in start order. */
  public static Set<Service> withRequirements(Set<Service> services) {
    EnumSet<Service> out = EnumSet.noneOf(Service.class);
    for (Service s : services) {
      out.addAll(s.requires());
      out.add(s);
    }
    return out;
  }
}
