package io.touchpoint.bench.stream;

import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * A backlog already in Kafka: first read by a plain consumer (the raw consume rate), then drained
 * by the job ({@code --until-caught-up}, micro-batches of {@code kafka.max-offsets-per-trigger}):
 * its catch-up throughput, from the end of the first batch (which pays for JIT, state stores and
 * table creation) until both queries have drained it.
 */
final class CatchUp {
  record Outcome(long records, double rawEps, double steadyEps, double wallSeconds, int batches) {}

  private final SparkSession spark;
  private final BenchKafka kafka;
  private final PrintStream out;

  CatchUp(SparkSession spark, BenchKafka kafka, PrintStream out) {
    this.spark = spark;
    this.kafka = kafka;
    this.out = out;
  }

  Outcome run(BenchStack.Phase phase, StreamingConfig job, List<OutRecord> backlog) throws Exception {
    out.printf("bench stream: writing a backlog of %d records...%n", backlog.size());
    new RecordProducer(kafka.bootstrap(), phase.topicMap()).produceAll(backlog);
    long t0 = System.nanoTime();
    long consumed = kafka.readAll(phase.inputs(), r -> { });
    double rawEps = consumed / ((System.nanoTime() - t0) / 1e9);
    out.printf("bench stream: raw consume %d records in %.1f s; the job catches up...%n", consumed,
        (System.nanoTime() - t0) / 1e9);

    List<StreamingQueryProgress> progress = new CopyOnWriteArrayList<>();
    StreamingQueryListener listener = new StreamingQueryListener() {
      @Override
      public void onQueryStarted(QueryStartedEvent e) {}

      @Override
      public void onQueryProgress(QueryProgressEvent e) {
        if (job.appName.equals(e.progress().name()) && e.progress().numInputRows() > 0) {
          progress.add(e.progress());
        }
      }

      @Override
      public void onQueryTerminated(QueryTerminatedEvent e) {}
    };
    spark.streams().addListener(listener);
    long s0 = System.nanoTime();
    int code;
    try {
      code = StreamingJob.run(spark, job, StreamingJob.RunOptions.caughtUp());
    } finally {
      spark.streams().removeListener(listener);
    }
    if (code != 0) {
      throw new IllegalStateException("the speed layer failed while catching up (see the log above)");
    }
    long endMs = System.currentTimeMillis();
    double wall = (System.nanoTime() - s0) / 1e9;
    long rows = progress.stream().mapToLong(StreamingQueryProgress::numInputRows).sum();
    // steady state: from the end of the first batch (JIT, state stores, table creation) to the
    // moment both queries had drained the backlog (the ingest query runs beside it)
    double eps = rows / wall;
    if (progress.size() > 1) {
      StreamingQueryProgress first = progress.get(0);
      long firstEnd = Instant.parse(first.timestamp()).toEpochMilli() + first.durationMs().get("triggerExecution");
      eps = (rows - first.numInputRows()) * 1000.0 / Math.max(1, endMs - firstEnd);
    }
    return new Outcome(rows, rawEps, eps, wall, progress.size());
  }
}
