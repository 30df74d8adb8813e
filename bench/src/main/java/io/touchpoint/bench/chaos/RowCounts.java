package io.touchpoint.bench.chaos;

import java.util.Map;

/** Two multisets of rows (row -> occurrences) compared: missing and extra occurrences. */
final class RowCounts {
  private RowCounts() {}

  static Comparison compare(
      String scope,
      String name,
      Map<String, Integer> reference,
      Map<String, Integer> run,
      long duplicateIds) {
    long missing = 0;
    for (Map.Entry<String, Integer> e : reference.entrySet()) {
      missing += Math.max(0, e.getValue() - run.getOrDefault(e.getKey(), 0));
    }
    long extra = 0;
    for (Map.Entry<String, Integer> e : run.entrySet()) {
      extra += Math.max(0, e.getValue() - reference.getOrDefault(e.getKey(), 0));
    }
    return new Comparison(
        scope, name, total(reference), total(run), missing, extra, duplicateIds, 0);
  }

  private static long total(Map<String, Integer> rows) {
    return rows.values().stream().mapToLong(Integer::longValue).sum();
  }
}
