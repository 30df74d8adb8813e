package io.touchpoint.model;

import java.time.Instant;
import java.util.List;

/**
 * An input record that failed validation, kept with every reason. {@code rawPayload} holds the
 * bytes exactly as received (base64 on the wire), so nothing is lost and it can be replayed.
 */
public record DeadLetter(
    byte[] rawPayload,
    List<String> reasonCodes,
    List<String> reasonDetails,
    String sourceTopic,
    Integer sourcePartition,
    Long sourceOffset,
    Instant deadLetteredAt) {

  public DeadLetter {
    reasonCodes = List.copyOf(reasonCodes);
    reasonDetails = reasonDetails == null ? List.of() : List.copyOf(reasonDetails);
  }
}
