package io.touchpoint.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * The speed layer's three queries, each with its own checkpoint: {@code attribution} (the latency
 * path: Kafka in, Kafka out), {@code ingest} (bronze, quarantine, dead-letter topic) and {@code
 * speedTables} (the output topics into the speed Delta tables). The layer runs while they run.
 * Until caught up, the speed-tables query starts once the attribution query has drained its input
 * (before that, the topics it reads do not hold the run's verdicts yet). An application that runs
 * only the attribution query has no ingest and speed-tables query; one that runs only the lake's
 * has no attribution query (setting {@code queries}).
 */
public final class SpeedLayerQueries {
  /** Starts the speed-tables query (deferred until the attribution query has drained). */
  @FunctionalInterface
  public interface Starter {
    StreamingQuery start() throws TimeoutException;
  }

  private final StreamingQuery attribution;
  private final StreamingQuery ingest;
  private volatile StreamingQuery speedTables;
  private final Starter deferredSpeedTables;

  SpeedLayerQueries(
      StreamingQuery attribution,
      StreamingQuery ingest,
      StreamingQuery speedTables,
      Starter deferredSpeedTables) {
    this.attribution = attribution;
    this.ingest = ingest;
    this.speedTables = speedTables;
    this.deferredSpeedTables = deferredSpeedTables;
  }

  /** The attribution query, or null in an application that runs only the lake's queries. */
  public StreamingQuery attribution() {
    return attribution;
  }

  /** The ingest query, or null in an application that runs only the attribution query. */
  public StreamingQuery ingest() {
    return ingest;
  }

  /** The speed-tables query, or null while it waits for the attribution query to drain. */
  public StreamingQuery speedTables() {
    return speedTables;
  }

  public List<StreamingQuery> all() {
    List<StreamingQuery> all = new ArrayList<>();
    for (StreamingQuery q : new StreamingQuery[] {attribution, ingest, speedTables}) {
      if (q != null) {
        all.add(q);
      }
    }
    return all;
  }

  /**
   * Starts the deferred speed-tables query once the attribution query has ended without error.
   * Called by the run loop.
   */
  void advance() throws TimeoutException {
    if (speedTables == null
        && deferredSpeedTables != null
        && attribution != null
        && !attribution.isActive()
        && attribution.exception().isEmpty()) {
      speedTables = deferredSpeedTables.start();
    }
  }

  /** True while any query runs or waits to start (until-caught-up ends when all have drained). */
  public boolean anyActive() {
    return speedTables == null
            && deferredSpeedTables != null
            && attribution != null
            && attribution.exception().isEmpty()
        || all().stream().anyMatch(StreamingQuery::isActive);
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
    List<StreamingQuery> all = all();
    for (StreamingQuery q : all) {
      try {
        if (q.isActive()) {
          q.awaitTermination(Math.max(1, millis / all.size()));
        }
      } catch (StreamingQueryException e) {
        return; // reported by failure()
      }
    }
  }

  /**
   * Each query stops after its batch in flight, all watched from the same moment on a thread of
   * their own (up to {@code grace}). Not a shared pool: with two cores the common pool has one
   * worker, so a query's watch would begin only when another's ended, letting it run more batches,
   * and the pool would be held by threads that sleep while the batches they wait for run.
   */
  public void stopAfterCurrentBatches(Duration grace) {
    List<Thread> watchers = new ArrayList<>();
    for (StreamingQuery q : all()) {
      String name = "graceful-stop-" + (q.name() == null ? q.id() : q.name());
      Thread t = new Thread(() -> GracefulStop.stopAfterCurrentBatch(q, grace), name);
      t.start();
      watchers.add(t);
    }
    for (Thread t : watchers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stops all now (a batch in flight is interrupted and replayed on restart). */
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
