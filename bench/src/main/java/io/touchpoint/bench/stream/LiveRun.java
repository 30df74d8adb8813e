package io.touchpoint.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.streaming.SpeedLayerQueries;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import io.touchpoint.streaming.ops.ProgressLogger;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The job running live while records are produced at a fixed rate: samples the input lag
 * (records in Kafka not yet read by a committed micro-batch) every {@code sampleEvery}.
 */
final class LiveRun {
  /** One lag sample: seconds since production started, records behind. */
  record Sample(double seconds, long lag) {}

  /** What one live run observed. */
  record Outcome(int rate, long produced, double produceSeconds, long producedAtStartMs, List<Sample> samples,
      long finalLag, boolean drained) {
    double achievedRate() {
      return produceSeconds <= 0 ? 0 : produced / produceSeconds;
    }
  }

  private final SparkSession spark;
  private final BenchKafka kafka;
  private final PrintStream out;
  private final Duration sampleEvery;

  LiveRun(SparkSession spark, BenchKafka kafka, PrintStream out, Duration sampleEvery) {
    this.spark = spark;
    this.kafka = kafka;
    this.out = out;
    this.sampleEvery = sampleEvery;
  }

  /**
   * Starts the job, produces {@code records} at {@code rate}/s for at most {@code produceFor},
   * then waits up to {@code drainFor} for the job to catch up, and stops it.
   */
  Outcome run(BenchStack.Phase phase, StreamingConfig job, List<OutRecord> records, int rate, Duration produceFor,
      Duration drainFor) throws Exception {
    ProgressLogger progress = new ProgressLogger(job.appName, job.appName + StreamingJob.INGEST_SUFFIX);
    spark.streams().addListener(progress);
    SpeedLayerQueries query = StreamingJob.start(spark, job, false);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    long startMs = System.currentTimeMillis();
    long start = System.nanoTime();
    long produceEnd = start + produceFor.toNanos();
    RecordProducer producer = new RecordProducer(kafka.bootstrap(), phase.topicMap());
    Thread feeder = new Thread(() -> {
      try {
        sent.set(producer.produceAtRate(records, rate, () -> stop.get() || System.nanoTime() > produceEnd));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-producer");
    feeder.start();
    List<Sample> samples = new ArrayList<>();
    try {
      while (feeder.isAlive()) {
        feeder.join(sampleEvery.toMillis());
        failIfDead(query);
        long lag = lag(phase, query);
        double secs = (System.nanoTime() - start) / 1e9;
        samples.add(new Sample(secs, lag));
        out.printf("  %s: t=%.0fs rate=%d/s lag=%d records%n", phase.name, secs, rate, lag);
      }
      double produceSeconds = (System.nanoTime() - start) / 1e9;
      long drainEnd = System.nanoTime() + drainFor.toNanos();
      long lag = lag(phase, query);
      while (lag > 0 && System.nanoTime() < drainEnd) {
        Thread.sleep(sampleEvery.toMillis());
        failIfDead(query);
        lag = lag(phase, query);
      }
      return new Outcome(rate, sent.get(), produceSeconds, startMs, samples, lag, lag == 0);
    } finally {
      stop.set(true);
      feeder.join();
      query.stop();
      spark.streams().removeListener(progress);
    }
  }

  private static void failIfDead(SpeedLayerQueries queries) {
    if (queries.anyFailed() || !queries.attribution().isActive() || !queries.ingest().isActive()) {
      throw new IllegalStateException("the speed layer stopped: "
          + queries.failure().map(Throwable::getMessage).orElse("no error reported"));
    }
  }

  /**
   * Records in the input topics minus those the last finished micro-batch read up to, for the
   * query that is further behind (the layer keeps up only if both do).
   */
  private long lag(BenchStack.Phase phase, SpeedLayerQueries queries) {
    long written = kafka.endOffsetSum(phase.inputs());
    return written - Math.min(consumed(queries.attribution().lastProgress()), consumed(queries.ingest().lastProgress()));
  }

  static long consumed(StreamingQueryProgress p) {
    if (p == null) {
      return 0;
    }
    long n = 0;
    for (SourceProgress s : p.sources()) {
      n += offsetSum(s.endOffset());
    }
    return n;
  }

  private static long offsetSum(String json) {
    if (json == null || json.isBlank()) {
      return 0;
    }
    try {
      long n = 0;
      for (Iterator<JsonNode> topics = ContractJson.mapper().readTree(json).elements(); topics.hasNext(); ) {
        for (Iterator<JsonNode> parts = topics.next().elements(); parts.hasNext(); ) {
          n += parts.next().asLong();
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
