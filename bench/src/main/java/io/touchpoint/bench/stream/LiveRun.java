package io.touchpoint.bench.stream;

import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.streaming.SpeedLayerQueries;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingConfig.Queries;
import io.touchpoint.streaming.StreamingJob;
import io.touchpoint.streaming.ops.CheckpointOffsets;
import io.touchpoint.streaming.ops.ProgressLogger;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
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
      double lagPeriodSeconds,
      CpuMeter.Cpu cpu) {
    double achievedRate() {
      return produceSeconds <= 0 ? 0 : produced / produceSeconds;
    }
  }

  private final SparkSession spark;
  private final BenchKafka kafka;
  private final PrintStream out;
  private final Duration sampleEvery;
  private final Duration cpuFrom;

  /** The load generator's thread. */
  static final String PRODUCER_THREAD = "bench-producer";

  /**
   * {@code cpuFrom}: the CPU of a run is measured from this long after production starts (the
   * warm-up) to its end.
   */
  LiveRun(
      SparkSession spark,
      BenchKafka kafka,
      PrintStream out,
      Duration sampleEvery,
      Duration cpuFrom) {
    this.spark = spark;
    this.kafka = kafka;
    this.out = out;
    this.sampleEvery = sampleEvery;
    this.cpuFrom = cpuFrom;
  }

  /**
   * What runs during a live run: how far each reader of the input topics has read (the layer keeps
   * up only if each does), the same for the readers of the phase's output topics (the speed
   * tables), the longest trigger interval among them (0: all run back to back), the queries in this
   * JVM and the lake's own process, if any (null).
   */
  record Running(
      List<LongSupplier> inputReaders,
      List<LongSupplier> outputReaders,
      double lagPeriodSeconds,
      List<StreamingQuery> queries,
      LakeProcess.Queries lake) {
    /** Queries of this JVM only, followed through their progress events. */
    static Running of(
        List<StreamingQuery> inputReaders, List<StreamingQuery> outputReaders, double period) {
      List<StreamingQuery> all = new ArrayList<>(inputReaders);
      all.addAll(outputReaders);
      return new Running(progressOf(inputReaders), progressOf(outputReaders), period, all, null);
    }

    private static List<LongSupplier> progressOf(List<StreamingQuery> queries) {
      return queries.stream().map(q -> (LongSupplier) () -> consumed(q.lastProgress())).toList();
    }
  }

  /** Starts what a live run measures. */
  @FunctionalInterface
  interface Starter {
    Running start() throws Exception;
  }

  /**
   * The speed layer: its three queries in this JVM, or with {@code lake} the attribution query here
   * ({@code job} says queries=attribution) and the lake's two in a process of their own (null: all
   * here).
   */
  static Starter speedLayer(SparkSession spark, StreamingConfig job, LakeStarter lake) {
    return () -> {
      double period =
          Math.max(
                  job.triggerInterval.toMillis(),
                  Math.max(
                      job.ingestTriggerInterval.toMillis(),
                      job.speedTablesTriggerInterval.toMillis()))
              / 1000.0;
      if (lake == null) {
        SpeedLayerQueries q = StreamingJob.start(spark, job, false);
        return Running.of(List.of(q.attribution(), q.ingest()), List.of(q.speedTables()), period);
      }
      if (job.queries != Queries.ATTRIBUTION) {
        throw new IllegalArgumentException(
            "with the lake's own process, this JVM runs queries=attribution");
      }
      LakeProcess.Queries child = lake.start();
      try {
        SpeedLayerQueries q = StreamingJob.start(spark, job, false);
        StreamingQuery attribution = q.attribution();
        return new Running(
            List.of(() -> consumed(attribution.lastProgress()), child::ingestConsumed),
            List.of(child::speedTablesConsumed),
            period,
            List.of(attribution),
            child);
      } catch (Exception | Error e) {
        child.close();
        throw e;
      }
    };
  }

  /** Starts the lake's own process of a live run. */
  @FunctionalInterface
  interface LakeStarter {
    LakeProcess.Queries start() throws Exception;
  }

  /**
   * The speed layer: starts the job (the lake's queries in their own process when {@code lake} is
   * not null), produces, drains, stops (see the other overload).
   */
  Outcome run(
      BenchStack.Phase phase,
      StreamingConfig job,
      List<OutRecord> records,
      int rate,
      Duration produceFor,
      Duration drainFor,
      LakeStarter lake)
      throws Exception {
    ProgressLogger progress = new ProgressLogger(StreamingJob.queryNames(job));
    spark.streams().addListener(progress);
    try {
      return run(phase, speedLayer(spark, job, lake), records, rate, produceFor, drainFor);
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
    CpuMeter cpu = new CpuMeter(query.lake() == null ? null : query.lake()::cpuNanos);
    CpuMeter.Snapshot cpuStart = null;
    CpuMeter.Snapshot cpuEnd = null;
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
            PRODUCER_THREAD);
    feeder.start();
    List<Sample> samples = new ArrayList<>();
    try {
      while (feeder.isAlive()) {
        feeder.join(sampleEvery.toMillis());
        if (feeder.isAlive()) {
          // taken while the producer's threads live (a dead thread's CPU time is gone)
          CpuMeter.Snapshot now = cpu.now();
          if (cpuStart == null && now.at() - start >= cpuFrom.toNanos()) {
            cpuStart = now;
          } else if (cpuStart != null) {
            cpuEnd = now;
          }
        }
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
          query.lagPeriodSeconds(),
          cpuEnd == null ? null : cpuEnd.since(cpuStart));
    } finally {
      stop.set(true);
      feeder.join();
      for (StreamingQuery q : query.queries()) {
        q.stop();
      }
      if (query.lake() != null) {
        query.lake().close();
      }
    }
  }

  private static void failIfDead(Running running) {
    if (running.lake() != null) {
      running.lake().failIfDead();
    }
    for (StreamingQuery q : running.queries()) {
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

  private long lag(List<String> topics, List<LongSupplier> readers) {
    long written = kafka.endOffsetSum(topics);
    long slowest = readers.stream().mapToLong(LongSupplier::getAsLong).min().orElse(written);
    return written - slowest;
  }

  static long consumed(StreamingQueryProgress p) {
    if (p == null) {
      return 0;
    }
    long n = 0;
    for (SourceProgress s : p.sources()) {
      n += CheckpointOffsets.offsetSum(s.endOffset());
    }
    return n;
  }
}
