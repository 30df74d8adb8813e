package io.touchpoint.simulator;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What a run produced: the counters (events by type, records by topic, scenarios, verdicts,
 * delivery, malformed by reason) and where the files are.
 */
public record SimulationResult(
    Path outDir, Tally counts, boolean floodingEnabled, Duration generation, Duration writing) {

  public long count(String key) {
    return counts.get(key);
  }

  public Map<String, Long> eventsByType() {
    return counts.withPrefix("events.");
  }

  public Map<String, Long> recordsByTopic() {
    return counts.withPrefix("records.");
  }

  public Map<String, Long> candidatesByScenario() {
    return counts.withPrefix("scenario.");
  }

  public Map<String, Long> verdicts() {
    return counts.withPrefix("verdict.");
  }

  public Map<String, Long> malformedByReason() {
    return counts.withPrefix("malformed.");
  }

  public long totalRecords() {
    return recordsByTopic().values().stream().mapToLong(Long::longValue).sum();
  }
}
