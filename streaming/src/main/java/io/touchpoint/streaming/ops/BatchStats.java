package io.touchpoint.streaming.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the sink counted in a micro-batch (rows per role, newest received_at), handed to the
 * progress listener on the same driver. Keyed by query id and batch id; entries are removed when
 * logged.
 */
public final class BatchStats {
  /** Counts of one batch. */
  public record Counts(
      long deadLetters,
      long bronze,
      long attributions,
      long attributedEvents,
      long newestReceivedAtMs,
      long writeMs) {}

  private static final Map<String, Counts> BY_BATCH = new ConcurrentHashMap<>();

  private BatchStats() {}

  public static void put(String queryId, long batchId, Counts counts) {
    BY_BATCH.put(queryId + "/" + batchId, counts);
    if (BY_BATCH.size() > 1000) {
      BY_BATCH.clear(); // a listener that never runs must not leak
    }
  }

  public static Counts take(String queryId, long batchId) {
    return BY_BATCH.remove(queryId + "/" + batchId);
  }
}
