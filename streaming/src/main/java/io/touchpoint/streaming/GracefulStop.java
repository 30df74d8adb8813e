package io.touchpoint.streaming;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the queries between micro-batches. On SIGTERM (YARN/EMR decommissioning, Ctrl-C, a
 * supervisor) the hook waits for the batch in flight to finish, then stops the query, before
 * Spark's own shutdown hook stops the SparkContext. Should a batch still run when the grace period
 * ends, it is interrupted: it was logged in the checkpoint's offset log but not committed, so the
 * restart replays it with the same offsets (exactly once is kept either way; a graceful stop only
 * saves the replay). Spark offers no stop at a batch boundary: a query running back to back may
 * begin its next batch between the idle moment seen here and the stop, and that one batch is
 * interrupted and replayed the same way.
 */
final class GracefulStop {
  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);

  /** Above Spark's shutdown hook manager (Hadoop priority 40), so ours runs first. */
  private static final int PRIORITY = 100;

  private static final long POLL_MILLIS = 20;

  private final Runnable hook;

  private GracefulStop(Runnable hook) {
    this.hook = hook;
  }

  static GracefulStop onSigterm(
      SpeedLayerQueries queries, Duration grace, AtomicBoolean requested) {
    Runnable hook =
        () -> {
          if (queries.anyActive()) {
            requested.set(true);
            LOG.info("SIGTERM: stopping after the batch in flight (grace {})", grace);
            queries.stopAfterCurrentBatches(grace);
          }
        };
    ShutdownHookManager.get()
        .addShutdownHook(hook, PRIORITY, grace.toSeconds() + 10, TimeUnit.SECONDS);
    return new GracefulStop(hook);
  }

  void remove() {
    if (!ShutdownHookManager.get().isShutdownInProgress()) {
      ShutdownHookManager.get().removeShutdownHook(hook);
    }
  }

  /**
   * Waits (up to {@code grace}) until the batch in flight when called has finished, or until no
   * trigger runs, then stops the query. A query with a backlog runs its batches back to back, so
   * "no trigger active" alone may never be seen before the grace period ends: the batch id of the
   * last progress report says when the batch in flight is done.
   */
  static void stopAfterCurrentBatch(StreamingQuery query, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    long inFlight = lastBatchId(query) + 1;
    while (query.isActive()
        && query.status().isTriggerActive()
        && lastBatchId(query) < inFlight
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (query.isActive() && query.status().isTriggerActive() && lastBatchId(query) < inFlight) {
      LOG.warn(
          "SIGTERM: {} still in its batch after the grace period {}: interrupting it (the restart"
              + " replays it); task threads:{}",
          query.name(),
          grace,
          TaskThreadDump.now());
    }
    try {
      query.stop();
    } catch (Exception e) {
      LOG.warn("stopping the query: {}", e.toString());
    }
  }

  /** The id of the last batch that reported progress (after its commit), -1 before the first. */
  private static long lastBatchId(StreamingQuery query) {
    StreamingQueryProgress p = query.lastProgress();
    return p == null ? -1 : p.batchId();
  }
}
