package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ServiceTest {

  @Test
  void aListParsesCaseInsensitivelyAndEmptyMeansAll() {
    assertThat(Service.parseList("Kafka, s3")).containsExactly(Service.KAFKA, Service.S3);
    assertThat(Service.parseList("")).isEqualTo(EnumSet.allOf(Service.class));
  }

  @Test
  void anUnknownServiceNamesTheKnownOnes() {
    assertThatThrownBy(() -> Service.parse("redis"))
        .hasMessageContaining("unknown service 'redis'")
        .hasMessageContaining("kafka, s3, clickhouse, druid, airflow");
  }

  @Test
  void druidBringsS3ForItsDeepStorage() {
    assertThat(Service.withRequirements(EnumSet.of(Service.DRUID)))
        .containsExactly(Service.S3, Service.DRUID);
  }

  @Test
  void supersetBringsClickHouseItsDashboardsRead() {
    assertThat(Service.withRequirements(EnumSet.of(Service.SUPERSET)))
        .containsExactly(Service.CLICKHOUSE, Service.SUPERSET);
  }
}
