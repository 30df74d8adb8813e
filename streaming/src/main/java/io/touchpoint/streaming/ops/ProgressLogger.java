package io.touchpoint.streaming.ops;

import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per micro-batch: rows, input and processing rate, Kafka lag (offsets behind the
 * latest, the most-lagging partition), state rows and memory, dead letters, outputs, and where the
 * time went. Grep-able {@code key=value} pairs.
 */
public final class ProgressLogger extends StreamingQueryListener {
  private static final Logger LOG = LoggerFactory.getLogger("io.touchpoint.streaming.progress");
  private final java.util.Set<String> queryNames;

  /**
   * @param queryNames only these queries' progress is logged (each line names its query)
   */
  public ProgressLogger(String... queryNames) {
    this.queryNames = java.util.Set.of(queryNames);
  }

  @Override
  public void onQueryStarted(QueryStartedEvent event) {
    if (queryNames.contains(event.name())) {
      LOG.info("query started: name={} id={} run={}", event.name(), event.id(), event.runId());
    }
  }

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    StreamingQueryProgress p = event.progress();
    if (!queryNames.contains(p.name())) {
      return;
    }
    LOG.info(line(p, BatchStats.take(p.id().toString(), p.batchId())));
  }

  @Override
  public void onQueryIdle(QueryIdleEvent event) {
    // nothing new to say: no batch ran
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    if (event.exception().isDefined()) {
      LOG.error("query terminated with an error: id={} {}", event.id(), event.exception().get());
    } else {
      LOG.info("query terminated: id={}", event.id());
    }
  }

  /** The progress line (also used by the benchmark). */
  public static String line(StreamingQueryProgress p, BatchStats.Counts counts) {
    long lag = 0;
    for (SourceProgress s : p.sources()) {
      lag = Math.max(lag, metric(s.metrics(), "maxOffsetsBehindLatest"));
    }
    long stateRows = 0;
    long stateBytes = 0;
    long stateUpdated = 0;
    for (StateOperatorProgress op : p.stateOperators()) {
      stateRows += op.numRowsTotal();
      stateBytes += op.memoryUsedBytes();
      stateUpdated += op.numRowsUpdated();
    }
    Map<String, Long> d = p.durationMs();
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "query=%s batch=%d rows=%d input_rate=%.0f/s processing_rate=%.0f/s lag_offsets_max=%d state_rows=%d state_updated=%d "
                + "state_mb=%.1f",
            p.name(),
            p.batchId(),
            p.numInputRows(),
            p.inputRowsPerSecond(),
            p.processedRowsPerSecond(),
            lag,
            stateRows,
            stateUpdated,
            stateBytes / 1048576.0));
    if (counts != null) {
      s.append(
          String.format(
              Locale.ROOT,
              " dead_letters=%d bronze=%d attributions=%d attributed_events=%d",
              counts.deadLetters(),
              counts.bronze(),
              counts.attributions(),
              counts.attributedEvents()));
      if (counts.newestReceivedAtMs() > 0) {
        s.append(" received_lag_ms=")
            .append(System.currentTimeMillis() - counts.newestReceivedAtMs());
      }
      s.append(" sink_ms=").append(counts.writeMs());
    }
    Row outputs =
        p.observedMetrics() == null
            ? null
            : p.observedMetrics().get(io.touchpoint.streaming.StreamingJob.OUTPUT_METRICS);
    if (outputs != null && !outputs.isNullAt(0)) {
      s.append(" attributions=")
          .append(outputs.getLong(0))
          .append(" attributed_events=")
          .append(outputs.getLong(1));
      if (!outputs.isNullAt(2)) {
        s.append(" received_lag_ms=").append(System.currentTimeMillis() - outputs.getLong(2));
      }
    }
    s.append(" total_ms=").append(d.getOrDefault("triggerExecution", 0L));
    for (String k :
        new String[] {"latestOffset", "queryPlanning", "addBatch", "walCommit", "commitOffsets"}) {
      if (d.containsKey(k)) {
        s.append(' ').append(k).append("_ms=").append(d.get(k));
      }
    }
    return s.toString();
  }

  private static long metric(Map<String, String> m, String key) {
    return (long) metricD(m, key);
  }

  private static double metricD(Map<String, String> m, String key) {
    String v = m == null ? null : m.get(key);
    if (v == null) {
      return 0;
    }
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
