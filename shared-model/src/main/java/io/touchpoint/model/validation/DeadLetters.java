package io.touchpoint.model.validation;

import io.touchpoint.model.DeadLetter;
import java.time.Instant;
import java.util.List;

/** Builds the dead-letter record for a rejected payload. */
public final class DeadLetters {

  /**
   * Most raw bytes a dead letter on the dead-letter <em>topic</em> carries: 256 KiB, base64 on the
   * wire (4/3), stays well under Kafka's default 1 MiB message limit, while the input topic accepts
   * payloads up to that limit. Without a cap one such record failed every write of the dead-letter
   * topic, and so the stream, on every restart. Only payloads over the contract's limit
   * (PAYLOAD_TOO_LARGE) are ever this large; the quarantine table keeps all their bytes.
   */
  public static final int TOPIC_MAX_RAW_BYTES = 256 * 1024;

  private DeadLetters() {}

  /**
   * One reason code and one detail per violation, in the same order, so {@code reason_details[i]}
   * explains {@code reason_codes[i]}. The bytes are kept exactly as received so the payload can be
   * replayed once its producer is fixed.
   *
   * @param raw the payload as received; null (a Kafka tombstone) is kept as empty bytes
   */
  public static DeadLetter of(
      byte[] raw,
      List<Violation> violations,
      String topic,
      Integer partition,
      Long offset,
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

  /**
   * The dead letter as the dead-letter topic carries it: the first {@link #TOPIC_MAX_RAW_BYTES} of
   * the raw payload, the reason details saying so; unchanged when the payload is smaller.
   */
  public static DeadLetter forTopic(DeadLetter d) {
    if (d.rawPayload().length <= TOPIC_MAX_RAW_BYTES) {
      return d;
    }
    String note =
        "; the dead-letter topic carries its first "
            + TOPIC_MAX_RAW_BYTES
            + " of "
            + d.rawPayload().length
            + " bytes, the quarantine table and the source topic all of them";
    java.util.List<String> details = new java.util.ArrayList<>(d.reasonDetails());
    if (details.isEmpty()) {
      details.add(note.substring(2));
    } else {
      details.set(0, details.get(0) + note);
    }
    return new DeadLetter(
        java.util.Arrays.copyOf(d.rawPayload(), TOPIC_MAX_RAW_BYTES),
        d.reasonCodes(),
        details,
        d.sourceTopic(),
        d.sourcePartition(),
        d.sourceOffset(),
        d.deadLetteredAt());
  }
}
