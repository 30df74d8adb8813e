package io.touchpoint.serving;

import io.touchpoint.local.test.StackHandle;
import io.touchpoint.serving.clickhouse.ClickHouseHttp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Serving configuration pointed at the test's stack, with fresh names. */
final class ServingTestSupport {
  private ServingTestSupport() {}

  static ServingConfig config(StackHandle stack, String database, Map<String, Object> more) {
    Map<String, Object> o = new HashMap<>();
    o.put("clickhouse.url", stack.clickhouseUrl());
    o.put("clickhouse.database", database);
    o.put("druid.router", stack.druidRouterUrl());
    o.put("lake.bucket", stack.lakeBucket());
    o.put("lake.endpoint", stack.s3Endpoint());
    o.put("lake.access-key", stack.s3AccessKey());
    o.put("lake.secret-key", stack.s3SecretKey());
    // every test run writes under its own prefixes of the shared lake bucket
    o.put("lake.gold-export-prefix", "test/" + database + "/export/gold");
    o.put("lake.druid-export-prefix", "test/" + database + "/export/druid");
    o.put("kafka.bootstrap", stack.kafkaBootstrap());
    o.putAll(more);
    return ServingConfig.withOverrides(o);
  }

  static ClickHouseHttp clickhouse(ServingConfig c) {
    return new ClickHouseHttp(
        c.clickhouseUrl(), c.clickhouseUser(), c.clickhousePassword(), Duration.ofMinutes(5));
  }
}
