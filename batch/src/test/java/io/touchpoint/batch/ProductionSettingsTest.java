package io.touchpoint.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** batch.conf is production configuration: no lake, endpoint or key of the embedded stack. */
class ProductionSettingsTest {

  @Test
  void withoutTheLocalStackProfileTheLakeIsRequiredAndNoEmbeddedStackKeyIsUsed() throws Exception {
    String production =
        new String(
            BatchConfig.class.getResourceAsStream("/batch.conf").readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(production)
        .doesNotContain("127.0.0.1", "localhost", "touchpoint-secret", "touchpoint-lake");
    if (System.getenv("TOUCHPOINT_LAKE") == null) {
      assertThatThrownBy(() -> BatchConfig.load(Map.of(), false))
          .hasMessageContaining("touchpoint.batch.lake (environment TOUCHPOINT_LAKE)");
    }
    BatchConfig prod = BatchConfig.load(Map.of("lake", "s3a://prod-lake"), false);
    assertThat(prod.localStackS3a()).isEmpty();
    assertThat(prod.s3a()).doesNotContainKey("fs.s3a.secret.key");
    BatchConfig local = BatchConfig.load(Map.of(), true);
    assertThat(local.lake()).isEqualTo("s3a://touchpoint-lake");
    assertThat(local.localStackS3a()).containsKey("fs.s3a.endpoint");
  }
}
