package io.touchpoint.bench.stream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * What a micro-batch's time is made of, per query (the layer's and the floors'), from Spark's own
 * progress reports: the trigger's parts (offsets, planning, the job, the offset and commit logs)
 * and the state stores' commits. At low rates a batch is mostly fixed cost; this shows which part.
 */
final class BatchCosts extends StreamingQueryListener {
  /** The progress durations reported (Spark's names), then the state commit (summed operators). */
  static final List<String> PARTS =
      List.of(
          "triggerExecution",
          "latestOffset",
          "queryPlanning",
          "addBatch",
          "walCommit",
          "commitOffsets");

  private static final String STATE_COMMIT = "stateCommit";

  /**
   * The state stores' time spent on updates and removals in the batch (summed over partitions: task
   * time, not wall time), then the RocksDB provider's commit phases (its custom metrics whose names
   * start with {@link #ROCKSDB_COMMIT}).
   */
  private static final String STATE_UPDATES = "stateUpdates";

  private static final String STATE_REMOVALS = "stateRemovals";
  private static final String ROCKSDB_COMMIT = "rocksdbCommit";
  private static final String ROWS = "rows";

  private final Map<String, Map<String, List<Long>>> byQuery = new LinkedHashMap<>();

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (p.name() == null || p.numInputRows() == 0) {
      return; // a batch without data measures nothing the latency depends on
    }
    Map<String, List<Long>> q = byQuery.computeIfAbsent(p.name(), k -> new LinkedHashMap<>());
    Map<String, Long> d = p.durationMs();
    for (String part : PARTS) {
      if (d.containsKey(part)) {
        add(q, part, d.get(part));
      }
    }
    long commit = 0;
    long updates = 0;
    long removals = 0;
    Map<String, Long> rocksdb = new LinkedHashMap<>();
    for (StateOperatorProgress op : p.stateOperators()) {
      commit += op.commitTimeMs();
      updates += op.allUpdatesTimeMs();
      removals += op.allRemovalsTimeMs();
      op.customMetrics()
          .forEach(
              (k, v) -> {
                if (k.startsWith(ROCKSDB_COMMIT)) {
                  rocksdb.merge(k, v, Long::sum);
                }
              });
    }
    add(q, STATE_COMMIT, commit);
    if (p.stateOperators().length > 0) {
      add(q, STATE_UPDATES, updates);
      add(q, STATE_REMOVALS, removals);
      rocksdb.forEach((k, v) -> add(q, k, v));
    }
    add(q, ROWS, p.numInputRows());
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  private static void add(Map<String, List<Long>> q, String part, long value) {
    q.computeIfAbsent(part, k -> new ArrayList<>()).add(value);
  }

  /**
   * Per query: batches with data, then p50, p90, p99 and max of each part (ms; rows: input rows per
   * batch).
   */
  synchronized Map<String, Object> summary(String query) {
    Map<String, List<Long>> q = byQuery.get(query);
    if (q == null) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batches", q.getOrDefault(ROWS, List.of()).size());
    List<String> parts = new ArrayList<>(PARTS);
    parts.add(STATE_COMMIT);
    parts.add(STATE_UPDATES);
    parts.add(STATE_REMOVALS);
    q.keySet().stream().filter(k -> k.startsWith(ROCKSDB_COMMIT)).forEach(parts::add);
    parts.add(ROWS);
    for (String part : parts) {
      List<Long> v = q.get(part);
      if (v == null || v.isEmpty()) {
        continue;
      }
      List<Long> sorted = new ArrayList<>(v);
      sorted.sort(Long::compare);
      Map<String, Long> pct = new LinkedHashMap<>();
      pct.put("p50", sorted.get((sorted.size() - 1) / 2));
      pct.put("p90", sorted.get((int) Math.ceil(0.9 * sorted.size()) - 1));
      pct.put("p99", sorted.get((int) Math.ceil(0.99 * sorted.size()) - 1));
      pct.put("max", sorted.get(sorted.size() - 1));
      m.put(part, pct);
    }
    return m;
  }

  /** One line: p50 of each part, for the run's log. */
  synchronized String line(String query) {
    Map<String, Object> s = summary(query);
    if (s == null) {
      return query + ": no batch with data";
    }
    StringBuilder b =
        new StringBuilder(query).append(": ").append(s.get("batches")).append(" batches, p50");
    s.forEach(
        (k, v) -> {
          if (v instanceof Map<?, ?> pct) {
            b.append(String.format(Locale.ROOT, " %s=%s", k, pct.get("p50")));
          }
        });
    return b.toString();
  }
}
