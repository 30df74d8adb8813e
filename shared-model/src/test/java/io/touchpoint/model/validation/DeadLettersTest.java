package io.touchpoint.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.json.ContractJson;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aDeadLetterOfAnOversizePayloadFitsAKafkaMessageAndSaysWhatItLeftOut() {
    byte[] raw = new byte[900_000];
    Arrays.fill(raw, (byte) 'x');
    DeadLetter full =
        DeadLetters.of(
            raw,
            List.of(
                new Violation(
                    ReasonCode.PAYLOAD_TOO_LARGE, "payload", "900000 bytes, limit 65536")),
            "app-events",
            1,
            7L,
            NOW);
    DeadLetter topic = DeadLetters.forTopic(full);
    assertThat(topic.rawPayload())
        .hasSize(DeadLetters.TOPIC_MAX_RAW_BYTES)
        .isEqualTo(Arrays.copyOf(raw, DeadLetters.TOPIC_MAX_RAW_BYTES));
    assertThat(ContractJson.toBytes(topic).length)
        .as("the JSON on the topic")
        .isLessThan(1024 * 1024 - 1024);
    assertThat(topic.reasonCodes()).isEqualTo(full.reasonCodes());
    assertThat(topic.reasonDetails()).hasSize(1);
    assertThat(topic.reasonDetails().get(0))
        .startsWith(
            "payload: 900000 bytes, limit 65536; the dead-letter topic carries its first "
                + DeadLetters.TOPIC_MAX_RAW_BYTES
                + " of 900000 bytes");
    assertThat(List.of(topic.sourceTopic(), topic.sourcePartition(), topic.sourceOffset()))
        .isEqualTo(List.of("app-events", 1, 7L));
    // a payload under the cap goes whole
    DeadLetter small =
        DeadLetters.of(
            new byte[] {1, 2},
            full.reasonCodes().stream()
                .map(c -> new Violation(ReasonCode.valueOf(c), "payload", "x"))
                .toList(),
            "t",
            0,
            1L,
            NOW);
    assertThat(DeadLetters.forTopic(small)).isSameAs(small);
  }
}
