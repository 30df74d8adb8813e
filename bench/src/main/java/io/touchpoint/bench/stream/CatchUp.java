package io.touchpoint.bench.stream;

import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * A backlog already in Kafka: first read by a plain consumer (the raw consume rate), then drained
 * by the speed layer ({@code --until-caught-up}) and by each floor query (Trigger.AvailableNow),
 * each in micro-batches of at most {@code --catchup-batch} records. A query's catch-up rate is
 * measured from the end of its first batch (which pays for JIT, state stores and table creation) to
 * the end of its last.
 */
final class CatchUp {
  /**
   * @param steadyEps rows per second after the first batch
   * @param wallSeconds from start to everything drained (for the layer: all three queries)
   */
  record Outcome(String query, long records, double steadyEps, double wallSeconds, int batches) {}

  private final SparkSession spark;
  private final BenchKafka kafka;
  private final PrintStream out;

  CatchUp(SparkSession spark, BenchKafka kafka, PrintStream out) {
    this.spark = spark;
    this.kafka = kafka;
    this.out = out;
  }

  /** Writes the backlog into the phase's input topics; returns the raw consume rate. */
  double backlogAndRawConsume(BenchStack.Phase phase, List<OutRecord> backlog) {
    out.printf("bench stream: writing a backlog of %d records...%n", backlog.size());
    new RecordProducer(kafka.bootstrap(), phase.topicMap()).produceAll(backlog);
    long t0 = System.nanoTime();
    long consumed = kafka.readAll(phase.inputs(), r -> {});
    double secs = (System.nanoTime() - t0) / 1e9;
    out.printf("bench stream: raw consume %d records in %.1f s%n", consumed, secs);
    return consumed / secs;
  }

  /**
   * The speed layer until caught up; the rate is its attribution query's, with the lake queries
   * beside it.
   */
  Outcome speedLayer(StreamingConfig job) throws Exception {
    List<StreamingQueryProgress> progress = new CopyOnWriteArrayList<>();
    StreamingQueryListener listener = collector(job.appName, progress);
    spark.streams().addListener(listener);
    long s0 = System.nanoTime();
    int code;
    try {
      code = StreamingJob.run(spark, job, StreamingJob.RunOptions.caughtUp());
    } finally {
      spark.streams().removeListener(listener);
    }
    if (code != 0) {
      throw new IllegalStateException(
          "the speed layer failed while catching up (see the log above)");
    }
    return outcome("speed-layer", progress, (System.nanoTime() - s0) / 1e9);
  }

  /** A floor query until caught up. */
  Outcome floor(FloorQueries.Kind kind, BenchStack.Phase phase, String checkpoint, long batch)
      throws Exception {
    List<StreamingQueryProgress> progress = new CopyOnWriteArrayList<>();
    String name = kind.label + "-" + phase.name;
    StreamingQueryListener listener = collector(name, progress);
    spark.streams().addListener(listener);
    long s0 = System.nanoTime();
    try {
      StreamingQuery q = FloorQueries.start(spark, kind, phase, checkpoint, true, batch);
      q.awaitTermination();
    } finally {
      spark.streams().removeListener(listener);
    }
    return outcome(kind.label, progress, (System.nanoTime() - s0) / 1e9);
  }

  private static StreamingQueryListener collector(
      String queryName, List<StreamingQueryProgress> into) {
    return new StreamingQueryListener() {
      @Override
      public void onQueryStarted(QueryStartedEvent e) {}

      @Override
      public void onQueryProgress(QueryProgressEvent e) {
        if (queryName.equals(e.progress().name()) && e.progress().numInputRows() > 0) {
          into.add(e.progress());
        }
      }

      @Override
      public void onQueryTerminated(QueryTerminatedEvent e) {}
    };
  }

  private static Outcome outcome(String query, List<StreamingQueryProgress> progress, double wall) {
    long rows = progress.stream().mapToLong(StreamingQueryProgress::numInputRows).sum();
    double eps = rows / wall;
    if (progress.size() > 1) {
      StreamingQueryProgress first = progress.get(0);
      StreamingQueryProgress last = progress.get(progress.size() - 1);
      long ms = end(last) - end(first);
      eps = (rows - first.numInputRows()) * 1000.0 / Math.max(1, ms);
    }
    return new Outcome(query, rows, eps, wall, progress.size());
  }

  private static long end(StreamingQueryProgress p) {
    return Instant.parse(p.timestamp()).toEpochMilli() + p.durationMs().get("triggerExecution");
  }
}
