package io.touchpoint.streaming.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** {@link TimeCut} on logs held in memory (offset = index, each partition's timestamps rising). */
class TimeCutTest {
  static final long DAY = 86_400_000L;
  static final long NOW = 1_767_225_600_000L; // 2026-01-01T00:00Z

  /** Partitions of a log: the record timestamps by offset. */
  static final class Log implements TimeCut.OffsetsAtTime {
    final Map<TopicPartition, long[]> partitions = new LinkedHashMap<>();
    int asked;

    @Override
    public Map<TopicPartition, Long> firstAtOrAfter(long timestamp) {
      asked++;
      Map<TopicPartition, Long> first = new HashMap<>();
      partitions.forEach(
          (tp, ts) -> {
            for (int i = 0; i < ts.length; i++) {
              if (ts[i] >= timestamp) {
                first.put(tp, (long) i);
                return;
              }
            }
          });
      return first;
    }

    Map<TopicPartition, Long> ends() {
      Map<TopicPartition, Long> end = new HashMap<>();
      partitions.forEach((tp, ts) -> end.put(tp, (long) ts.length));
      return end;
    }

    Map<TopicPartition, Long> zeros() {
      Map<TopicPartition, Long> start = new HashMap<>();
      partitions.keySet().forEach(tp -> start.put(tp, 0L));
      return start;
    }

    long newest() {
      return partitions.values().stream().mapToLong(ts -> ts[ts.length - 1]).max().orElse(-1);
    }
  }

  /**
   * The demo's shape: touches mostly of the last day, app events with months of history first (the
   * backlog's same fraction is not the same time in both topics).
   */
  static Log demoShape() {
    Random r = new Random(7);
    Log log = new Log();
    for (int p = 0; p < 4; p++) {
      log.partitions.put(new TopicPartition("touchpoints", p), rising(r, 3_000, NOW - DAY, NOW));
    }
    for (int p = 0; p < 4; p++) {
      long[] history = rising(r, 150, NOW - 120 * DAY, NOW - DAY);
      long[] lastDay = rising(r, 40, NOW - DAY, NOW);
      long[] ts = new long[history.length + lastDay.length];
      System.arraycopy(history, 0, ts, 0, history.length);
      System.arraycopy(lastDay, 0, ts, history.length, lastDay.length);
      log.partitions.put(new TopicPartition("app-events", p), ts);
    }
    return log;
  }

  static long[] rising(Random r, int n, long from, long to) {
    long[] ts = new long[n];
    for (int i = 0; i < n; i++) {
      ts[i] = from + (long) (r.nextDouble() * (to - from));
    }
    java.util.Arrays.sort(ts);
    return ts;
  }

  /** The newest timestamp a batch read and the oldest it left, over all partitions. */
  static long[] newestReadOldestLeft(
      Log log, Map<TopicPartition, Long> start, Map<TopicPartition, Long> cut) {
    long newestRead = Long.MIN_VALUE;
    long oldestLeft = Long.MAX_VALUE;
    for (Map.Entry<TopicPartition, long[]> e : log.partitions.entrySet()) {
      long[] ts = e.getValue();
      int from = start.get(e.getKey()).intValue();
      int to = cut.get(e.getKey()).intValue();
      for (int i = from; i < to; i++) {
        newestRead = Math.max(newestRead, ts[i]);
      }
      if (to < ts.length) {
        oldestLeft = Math.min(oldestLeft, ts[to]);
      }
    }
    return new long[] {newestRead, oldestLeft};
  }

  @Test
  void everyBoundedBatchEndsAtOneTimeOnEveryPartitionSoNoRecordIsReadBeforeAnOlderOne() {
    Log log = demoShape();
    long total = TimeCut.rows(log.zeros(), log.ends());
    long cap = total / 5;
    Map<TopicPartition, Long> start = log.zeros();
    List<Long> sizes = new ArrayList<>();
    long previousNewest = Long.MIN_VALUE;
    while (TimeCut.rows(start, log.ends()) > 0) {
      Map<TopicPartition, Long> cut = TimeCut.cut(start, log.ends(), cap, log.newest(), log);
      long[] readLeft = newestReadOldestLeft(log, start, cut);
      assertThat(readLeft[0])
          .as("batch %d: the newest record read is older than every one left", sizes.size())
          .isLessThan(readLeft[1]);
      assertThat(readLeft[0])
          .as("and newer than the previous batch's")
          .isGreaterThan(previousNewest);
      previousNewest = readLeft[0];
      sizes.add(TimeCut.rows(start, cut));
      start = cut;
    }
    assertThat(sizes).allSatisfy(n -> assertThat(n).isBetween(1L, cap));
    assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(total);
    assertThat(sizes).hasSizeBetween(5, 7); // close to the cap, not far below it
    // the first batch holds the app-event history: a same-fraction split would not
    Map<TopicPartition, Long> first = TimeCut.cut(log.zeros(), log.ends(), cap, log.newest(), log);
    assertThat(first.get(new TopicPartition("app-events", 0))).isGreaterThanOrEqualTo(150L);
  }

  @Test
  void aBacklogWithinTheCapIsReadWholeWithoutAskingTheBrokers() {
    Log log = demoShape();
    Map<TopicPartition, Long> end = log.ends();
    assertThat(TimeCut.cut(log.zeros(), end, TimeCut.rows(log.zeros(), end), log.newest(), log))
        .isEqualTo(end);
    assertThat(log.asked).isZero();
  }

  @Test
  void recordsOfOneMillisecondAreNeverSplitEvenWhenTheyExceedTheCap() {
    Log log = new Log();
    TopicPartition a = new TopicPartition("t", 0);
    TopicPartition b = new TopicPartition("t", 1);
    log.partitions.put(a, new long[] {NOW, NOW, NOW, NOW + 1, NOW + 2});
    log.partitions.put(b, new long[] {NOW, NOW, NOW + 1, NOW + 3});
    Map<TopicPartition, Long> cut = TimeCut.cut(log.zeros(), log.ends(), 2, log.newest(), log);
    assertThat(cut).isEqualTo(Map.of(a, 3L, b, 2L)); // all five of NOW, progress over the cap
    Map<TopicPartition, Long> next = TimeCut.cut(cut, log.ends(), 2, log.newest(), log);
    assertThat(next).isEqualTo(Map.of(a, 4L, b, 3L)); // both of NOW + 1
  }

  @Test
  void aBatchStartsWhereTheLastEndedAndLeavesPartitionsWithNothingBeforeTheCutAlone() {
    Log log = new Log();
    TopicPartition busy = new TopicPartition("touchpoints", 0);
    TopicPartition late = new TopicPartition("app-events", 0);
    long[] ts = new long[100];
    for (int i = 0; i < ts.length; i++) {
      ts[i] = NOW + i * 1_000L;
    }
    log.partitions.put(busy, ts);
    log.partitions.put(late, new long[] {NOW - DAY, NOW + 500_000L, NOW + 900_000L});
    Map<TopicPartition, Long> start = Map.of(busy, 40L, late, 1L);
    Map<TopicPartition, Long> cut = TimeCut.cut(start, log.ends(), 30, log.newest(), log);
    // 30 touches (NOW + 40 s .. NOW + 69 s); the app event of NOW + 500 s waits
    assertThat(cut).isEqualTo(Map.of(busy, 70L, late, 1L));
  }
}
