package io.touchpoint.streaming.source;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a bounded micro-batch ends: on every partition of every topic at the same Kafka timestamp T
 * (the batch reads each partition's records written before T and none written at or after it), with
 * T the latest millisecond that keeps the batch within its cap.
 *
 * <p>Spark's own cap ({@code maxOffsetsPerTrigger}) ends every partition at the same fraction of
 * its backlog, which is the same time only when every partition's backlog has the same shape; a
 * bounded batch could then read a candidate before the touches written before it. Cut at one time,
 * a bounded batch reads exactly what an uncapped batch planned at T would have read, so the
 * verdicts do not depend on the cap. Exact when each partition's timestamps rise with its offsets
 * (one writer per partition with CreateTime, or LogAppendTime); otherwise a partition's records
 * after its first one at or past T wait for the next batch, as they would in a live run.
 */
public final class TimeCut {
  /** The log, asked by time. */
  public interface OffsetsAtTime {
    /**
     * Per partition, the offset of the first record with a timestamp at or after {@code timestamp};
     * a partition with none may be left out (it is read to its end).
     */
    Map<TopicPartition, Long> firstAtOrAfter(long timestamp);
  }

  /** The first step back from the newest timestamp when looking for a time within the cap. */
  static final long FIRST_STEP_MILLIS = 1_000;

  private TimeCut() {}

  /**
   * The end offsets of a batch from {@code start} of at most {@code maxRows} records (more only
   * when the records of one millisecond exceed it: a batch always makes progress), cut at one
   * timestamp; {@code end} itself when the backlog fits.
   *
   * @param start the batch's start offset per partition
   * @param end the latest offset per partition (the uncapped batch's end)
   * @param newestTimestamp the newest record timestamp in these partitions
   */
  public static Map<TopicPartition, Long> cut(
      Map<TopicPartition, Long> start,
      Map<TopicPartition, Long> end,
      long maxRows,
      long newestTimestamp,
      OffsetsAtTime log) {
    if (rows(start, end) <= maxRows) {
      return end;
    }
    // invariants: the batch cut at lo fits, the one cut at hi does not
    long hi = newestTimestamp + 1;
    long lo = hi;
    long step = FIRST_STEP_MILLIS;
    while (true) {
      lo = Math.max(0, hi - step);
      if (lo == 0 || rows(start, at(lo, start, end, log)) <= maxRows) {
        break;
      }
      hi = lo;
      step = Math.multiplyExact(step, 2);
    }
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      if (rows(start, at(mid, start, end, log)) <= maxRows) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    Map<TopicPartition, Long> cut = at(lo, start, end, log);
    return rows(start, cut) > 0 ? cut : at(hi, start, end, log);
  }

  /** The end offsets of a batch cut at {@code timestamp}, kept within [start, end]. */
  static Map<TopicPartition, Long> at(
      long timestamp,
      Map<TopicPartition, Long> start,
      Map<TopicPartition, Long> end,
      OffsetsAtTime log) {
    Map<TopicPartition, Long> first = log.firstAtOrAfter(timestamp);
    Map<TopicPartition, Long> cut = new HashMap<>();
    end.forEach(
        (tp, last) -> {
          long from = start.getOrDefault(tp, last);
          long at = first.getOrDefault(tp, last);
          cut.put(tp, Math.max(from, Math.min(last, at)));
        });
    return cut;
  }

  /** Records between two offset maps. */
  static long rows(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
    long n = 0;
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      n += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), e.getValue()));
    }
    return n;
  }
}
