package io.touchpoint.streaming;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * The speed layer's two queries, each with its own checkpoint: {@code attribution} (router, both
 * stateful operators, the attributions / attributed-events topics and speed tables) and {@code
 * ingest} (bronze, quarantine, dead-letter topic). The layer runs while both run.
 */
public record SpeedLayerQueries(StreamingQuery attribution, StreamingQuery ingest) {
  public List<StreamingQuery> all() {
    return List.of(attribution, ingest);
  }

  /** True while any query runs (until-caught-up ends when both have drained). */
  public boolean anyActive() {
    return attribution.isActive() || ingest.isActive();
  }

  /** True when a query has stopped with an error. */
  public boolean anyFailed() {
    return failure().isPresent();
  }

  public Optional<StreamingQueryException> failure() {
    for (StreamingQuery q : all()) {
      if (q.exception().isDefined()) {
        return Optional.of(q.exception().get());
      }
    }
    return Optional.empty();
  }

  /** Waits up to {@code millis} for the queries to end. */
  public void await(long millis) {
    for (StreamingQuery q : all()) {
      try {
        if (q.isActive()) {
          q.awaitTermination(Math.max(1, millis / 2));
        }
      } catch (StreamingQueryException e) {
        return; // reported by failure()
      }
    }
  }

  /** Each query stops after its batch in flight (up to {@code grace} each). */
  public void stopAfterCurrentBatches(Duration grace) {
    all().parallelStream().forEach(q -> GracefulStop.stopAfterCurrentBatch(q, grace));
  }

  /** Stops both now (a batch in flight is interrupted and replayed on restart). */
  public void stop() {
    for (StreamingQuery q : all()) {
      try {
        q.stop();
      } catch (Exception e) {
        // stopping is best effort: the checkpoint makes a later restart exact anyway
      }
    }
  }
}
