package io.touchpoint.bench.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.json.ContractJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecordProducerTest {
  static final long SHIFT = 3 * 86_400_000L + 1_234;

  static JsonNode json(byte[] b) throws Exception {
    return ContractJson.mapper().readTree(b);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void compactContractJsonIsShiftedInPlaceLikeTheTree() throws Exception {
    byte[] in =
        bytes(
            "{\"event_id\":\"e1\",\"event_type\":\"install\",\"event_time\":\"2026-11-28T23:59:59.999Z\","
                + "\"received_at\":\"2026-11-29T00:00:01.000Z\",\"install_begin_time\":\"2026-11-28T23:58:00.500Z\","
                + "\"device\":{\"ip\":\"1.2.3.4\"},\"note\":\"caf\u00e9\"}");
    byte[] fast = RecordProducer.shiftedInPlace(in, SHIFT);
    assertThat(fast).as("the in-place path applies").isNotNull().hasSameSizeAs(in);
    assertThat(json(fast)).isEqualTo(json(RecordProducer.shiftedByTree(in, SHIFT)));
    assertThat(json(fast).get("event_time").asText()).isEqualTo("2026-12-02T00:00:01.233Z");
    assertThat(json(in).get("event_time").asText())
        .as("the input is not modified")
        .isEqualTo("2026-11-28T23:59:59.999Z");
  }

  @Test
  void absentOrNullTimesStayAsTheyAre() throws Exception {
    byte[] in =
        bytes(
            "{\"event_id\":\"e2\",\"event_time\":\"2026-11-28T10:00:00.000Z\","
                + "\"received_at\":\"2026-11-28T10:00:00.100Z\"}");
    assertThat(json(RecordProducer.shifted(in, SHIFT)))
        .isEqualTo(json(RecordProducer.shiftedByTree(in, SHIFT)));
    byte[] withNull =
        bytes(
            "{\"event_time\":\"2026-11-28T10:00:00.000Z\",\"received_at\":\"2026-11-28T10:00:00.100Z\","
                + "\"install_begin_time\":null}");
    assertThat(RecordProducer.shiftedInPlace(withNull, SHIFT))
        .as("null: the tree decides")
        .isNull();
    assertThat(json(RecordProducer.shifted(withNull, SHIFT)))
        .isEqualTo(json(RecordProducer.shiftedByTree(withNull, SHIFT)));
  }

  @Test
  void otherFormsTakeTheTreePath() throws Exception {
    String[] forms = {
      // spaces after the colon
      "{\"event_time\": \"2026-11-28T10:00:00.000Z\",\"received_at\":\"2026-11-28T10:00:00.100Z\"}",
      // a time with an offset, and one without milliseconds
      "{\"event_time\":\"2026-11-28T12:00:00.000+02:00\",\"received_at\":\"2026-11-28T10:00:00Z\"}",
    };
    for (String form : forms) {
      byte[] in = bytes(form);
      assertThat(RecordProducer.shiftedInPlace(in, SHIFT)).as(form).isNull();
      assertThat(json(RecordProducer.shifted(in, SHIFT)))
          .as(form)
          .isEqualTo(json(RecordProducer.shiftedByTree(in, SHIFT)));
    }
    // a key twice: not shifted in place (the contract's reader refuses it: a malformed record)
    byte[] twice =
        bytes(
            "{\"event_time\":\"2026-11-28T10:00:00.000Z\",\"event_time\":\"2026-11-28T11:00:00.000Z\"}");
    assertThat(RecordProducer.shiftedInPlace(twice, SHIFT)).isNull();
  }
}
