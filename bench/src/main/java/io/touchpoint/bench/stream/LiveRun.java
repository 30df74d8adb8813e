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
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * The job running live while records are produced at a fixed rate: samples the input lag (records
 * in Kafka not yet read by a committed micro-batch) every {@code sampleEvery}.
 */
final class LiveRun {
  /** One lag sample: seconds since production started, records behind. */
  record Sample(double seconds, long lag) {}

  /**
   * What one live run observed. {@code lagPeriodSeconds}: the longest trigger interval of the
   * queries, over which the lag rises and falls even when they keep up (see {@link LagTrend}).
   */
  record Outcome(
      int rate,
      long produced,
      double produceSeconds,
      long producedAtStartMs,
      List<Sample> samples,
      long finalLag,
      boolean drained,
      double lagPeriodSeconds) {
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
   * What runs during a live run: the queries that read the input topics (the layer keeps up only if
   * each does), those that read the phase's output topics (the speed tables), and the longest
   * trigger interval among them (0: all run back to back).
   */
  record Running(
      List<StreamingQuery> inputReaders,
      List<StreamingQuery> outputReaders,
      double lagPeriodSeconds) {
    List<StreamingQuery> all() {
      List<StreamingQuery> all = new ArrayList<>(inputReaders);
      all.addAll(outputReaders);
      return all;
    }
  }

  /** Starts what a live run measures. */
  @FunctionalInterface
  interface Starter {
    Running start() throws Exception;
  }

  /** The speed layer, its three queries. */
  static Starter speedLayer(SparkSession spark, StreamingConfig job) {
    return () -> {
      SpeedLayerQueries q = StreamingJob.start(spark, job, false);
      double period =
          Math.max(
                  job.triggerInterval.toMillis(),
                  Math.max(
                      job.ingestTriggerInterval.toMillis(),
                      job.speedTablesTriggerInterval.toMillis()))
              / 1000.0;
      return new Running(List.of(q.attribution(), q.ingest()), List.of(q.speedTables()), period);
    };
  }

  /** The speed layer: starts the job, produces, drains, stops (see the other overload). */
  Outcome run(
      BenchStack.Phase phase,
      StreamingConfig job,
      List<OutRecord> records,
      int rate,
      Duration produceFor,
      Duration drainFor)
      throws Exception {
    ProgressLogger progress = new ProgressLogger(StreamingJob.queryNames(job));
    spark.streams().addListener(progress);
    try {
      return run(phase, speedLayer(spark, job), records, rate, produceFor, drainFor);
    } finally {
      spark.streams().removeListener(progress);
    }
  }

  /**
   * Starts the queries, produces {@code records} at {@code rate}/s for at most {@code produceFor},
   * then waits up to {@code drainFor} for them to catch up, and stops them.
   */
  Outcome run(
      BenchStack.Phase phase,
      Starter starter,
      List<OutRecord> records,
      int rate,
      Duration produceFor,
      Duration drainFor)
      throws Exception {
    Running query = starter.start();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    long startMs = System.currentTimeMillis();
    long start = System.nanoTime();
    long produceEnd = start + produceFor.toNanos();
    RecordProducer producer = new RecordProducer(kafka.bootstrap(), phase.topicMap());
    Thread feeder =
        new Thread(
            () -> {
              try {
                sent.set(
                    producer.produceAtRate(
                        records, rate, () -> stop.get() || System.nanoTime() > produceEnd));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "bench-producer");
    feeder.start();
    List<Sample> samples = new ArrayList<>();
    try {
      while (feeder.isAlive()) {
        feeder.join(sampleEvery.toMillis());
        failIfDead(query);
        Long lag = lagOrNull(phase, query);
        double secs = (System.nanoTime() - start) / 1e9;
        if (lag != null) {
          samples.add(new Sample(secs, lag));
          out.printf("  %s: t=%.0fs rate=%d/s lag=%d records%n", phase.name, secs, rate, lag);
        }
      }
      double produceSeconds = (System.nanoTime() - start) / 1e9;
      long drainEnd = System.nanoTime() + drainFor.toNanos();
      Long lag = lagOrNull(phase, query);
      while ((lag == null || lag > 0) && System.nanoTime() < drainEnd) {
        Thread.sleep(sampleEvery.toMillis());
        failIfDead(query);
        lag = lagOrNull(phase, query);
      }
      long last = lag == null ? -1 : lag;
      return new Outcome(
          rate,
          sent.get(),
          produceSeconds,
          startMs,
          samples,
          last,
          last == 0,
          query.lagPeriodSeconds());
    } finally {
      stop.set(true);
      feeder.join();
      for (StreamingQuery q : query.all()) {
        q.stop();
      }
    }
  }

  private static void failIfDead(Running running) {
    for (StreamingQuery q : running.all()) {
      if (!q.isActive()) {
        throw new IllegalStateException(
            "query "
                + q.name()
                + " stopped: "
                + (q.exception().isDefined()
                    ? q.exception().get().getMessage()
                    : "no error reported"));
      }
    }
  }

  /** Consecutive lag samples the broker may fail to answer before the run fails. */
  private static final int MISSED_SAMPLES_ALLOWED = 5;

  private int missedSamples;

  /**
   * The lag, or null when the broker did not answer in time (a slow broker on a loaded machine must
   * not end the run: the sample is skipped, up to {@link #MISSED_SAMPLES_ALLOWED} in a row).
   */
  private Long lagOrNull(BenchStack.Phase phase, Running running) {
    try {
      long lag = lag(phase, running);
      missedSamples = 0;
      return lag;
    } catch (RuntimeException e) {
      if (++missedSamples > MISSED_SAMPLES_ALLOWED) {
        throw e;
      }
      out.printf("  %s: lag sample skipped (%s)%n", phase.name, e.getMessage());
      return null;
    }
  }

  /**
   * Records in the input topics minus those the last finished micro-batch read up to, for the input
   * reader that is furthest behind (the layer keeps up only if each does), plus the same for the
   * output topics and their readers (the speed tables).
   */
  private long lag(BenchStack.Phase phase, Running running) {
    long lag = lag(phase.inputs(), running.inputReaders());
    return running.outputReaders().isEmpty()
        ? lag
        : lag + lag(phase.outputs(), running.outputReaders());
  }

  private long lag(List<String> topics, List<StreamingQuery> readers) {
    long written = kafka.endOffsetSum(topics);
    long slowest =
        readers.stream().mapToLong(q -> consumed(q.lastProgress())).min().orElse(written);
    return written - slowest;
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
      for (Iterator<JsonNode> topics = ContractJson.mapper().readTree(json).elements();
          topics.hasNext(); ) {
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
