package io.touchpoint.model.validation;

import io.touchpoint.model.DeadLetter;
import java.time.Instant;
import java.util.List;

/** Builds the dead-letter record for a rejected payload. */
public final class DeadLetters {

  private DeadLetters() {}

  /**
   * One reason code and one detail per violation, in the same order, so
   * {@code reason_details[i]} explains {@code reason_codes[i]}. The bytes are kept exactly as
   * received so the payload can be replayed once its producer is fixed.
   *
   * @param raw the payload as received; null (a Kafka tombstone) is kept as empty bytes
   */
  public static DeadLetter of(
      byte[] raw, List<Violation> violations, String topic, Integer partition, Long offset,
      Instant now) {
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a dead letter needs at least one violation");
    }
    return new DeadLetter(
        raw == null ? new byte[0] : raw,
        violations.stream().map(v -> v.code().name()).toList(),
        violations.stream().map(Violation::describe).toList(),
        topic,
        partition,
        offset,
        now);
  }
}
