package io.touchpoint.simulator.output;

/**
 * One record as it goes on the wire: its arrival instant (sort key), a generation sequence number
 * (tie-break, so the order is a function of the seed alone), topic, Kafka key and the raw payload.
 *
 * @param malformed what is wrong with the payload, null for a valid record
 */
public record OutRecord(
    long arrivalMillis, long seq, String topic, String key, byte[] payload, Malformed malformed) {

  /** The expected verdict of a malformed record. */
  public record Malformed(String reasonCode, String kind, String eventId, String sourceEventId) {}

  public boolean isMalformed() {
    return malformed != null;
  }

  /** Arrival order: arrival instant, then generation order. */
  public static int compare(OutRecord a, OutRecord b) {
    int c = Long.compare(a.arrivalMillis, b.arrivalMillis);
    return c != 0 ? c : Long.compare(a.seq, b.seq);
  }
}
