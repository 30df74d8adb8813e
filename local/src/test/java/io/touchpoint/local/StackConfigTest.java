package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackConfigTest {

  @Test
  void defaultsPutEverythingUnderOneDataDirectoryOnLoopback() {
    StackConfig c = StackConfig.load(null, Path.of("/tmp/tp-test-data"));
    assertThat(c.dataDir).isEqualTo(Path.of("/tmp/tp-test-data"));
    assertThat(c.host).isEqualTo("127.0.0.1");
    assertThat(c.kafkaTopics)
        .containsExactly(
            "touchpoints", "app-events", "attributions", "attributed-events", "dead-letter");
    assertThat(c.runDir()).isEqualTo(Path.of("/tmp/tp-test-data/run"));
    assertThat(c.venv).isEqualTo(c.repoRoot.resolve(".venv"));
  }

  @Test
  void aFileLayeredOverStackConfChangesPortsAndPartitions(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("my.conf");
    Files.writeString(
        f, "touchpoint.stack { kafka.port = 19092, kafka.partitions = 2, home = \"" + dir + "\" }");
    StackConfig c = StackConfig.load(f, null);
    assertThat(c.kafkaPort).isEqualTo(19092);
    assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
    assertThat(c.kafkaPartitions).isEqualTo(2);
    assertThat(c.dataDir).isEqualTo(dir);
  }

  @Test
  void aBadValueIsReportedWithAHintNotAStackTrace(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.conf");
    Files.writeString(f, "touchpoint.stack.kafka.port = not-a-number");
    assertThatThrownBy(() -> StackConfig.load(f, null))
        .isInstanceOf(StackException.class)
        .hasMessageContaining("kafka.port");
  }
}
