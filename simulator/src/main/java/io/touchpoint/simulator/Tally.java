package io.touchpoint.simulator;

import java.util.Map;
import java.util.TreeMap;

/** Named counters, merged across devices; sorted so summaries print in a stable order. */
public final class Tally {
  private final TreeMap<String, Long> counts = new TreeMap<>();

  public void add(String key) {
    add(key, 1);
  }

  public void add(String key, long n) {
    counts.merge(key, n, Long::sum);
  }

  public long get(String key) {
    return counts.getOrDefault(key, 0L);
  }

  public void merge(Tally other) {
    other.counts.forEach(this::add);
  }

  /** The counters whose names start with {@code prefix}, with the prefix removed. */
  public Map<String, Long> withPrefix(String prefix) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  public Map<String, Long> asMap() {
    return new TreeMap<>(counts);
  }
}
