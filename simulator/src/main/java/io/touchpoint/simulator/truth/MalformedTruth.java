package io.touchpoint.simulator.truth;

import java.time.Instant;

/**
 * One malformed record and the reason code the validator must give it (a line of {@code
 * malformed-truth.jsonl}).
 *
 * @param position 0-based index of the record in its topic's arrival order: the line number minus
 *     one in the topic's JSONL file, the offset when produced to an empty topic partition set in
 *     order
 * @param kind how it was broken (e.g. {@code truncated_json}); several kinds share a reason code
 * @param eventId the record's own event_id when it has a readable one
 * @param sourceEventId the valid event it was derived from (which is also delivered intact)
 * @param payloadBase64 the exact bytes, binary-safe
 */
public record MalformedTruth(
    String topic,
    long position,
    String reasonCode,
    String kind,
    String eventId,
    String sourceEventId,
    Instant arrival,
    String payloadBase64) {}
