package io.touchpoint.bench.stream;

import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint bench stream}: the speed layer's benchmark on the embedded stack (Kafka and
 * S3 started if needed), beside the floor (two reference queries, {@link FloorQueries}) in the same
 * run and Spark session. Each live phase on fresh topics and fresh checkpoints:
 *
 * <ol>
 *   <li>one backlog: the raw consume rate (plain KafkaConsumer), then the catch-up rate of the
 *       speed layer (all three queries), the stateless floor and the stateful floor over it;
 *   <li>the latency curve: the layer live at each of {@code --rates} (produced for {@code --warmup}
 *       + {@code --sustain}): sustained or not (lag slope), p50/p95/p99 from {@code received_at} to
 *       the output's broker timestamp; then {@code --search-steps} rates above the highest
 *       sustained one (x1.5, bisecting once one fails);
 *   <li>the layer with its checkpoints on the S3 API at {@code --s3-checkpoint-rates};
 *   <li>each floor query live at {@code --floor-rates}.
 * </ol>
 *
 * Writes {@code <output>/stream-<date>.json}; see docs/benchmarks.md.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks the speed layer on the embedded stack (starts Kafka and S3 if needed) beside two floor queries "
          + "(stateless; per-device count in RocksDB) in the same run: raw consume rate, catch-up rates, latency "
          + "curve (p50/p95/p99 and sustained or not at each rate), highest sustained rate, the S3-API checkpoint. "
          + "Writes <output>/stream-<date>.json. Removes the run's topics, bucket and checkpoints at the end "
          + "(--keep keeps them).",
      "About 25-30 minutes with the defaults; run it on a quiet machine."
    },
    sortOptions = false)
public final class StreamBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--devices",
      paramLabel = "N",
      defaultValue = "100000",
      description =
          "Simulated devices (3 days of them are the load; more devices, more records). Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(
      names = "--rates",
      paramLabel = "EPS",
      split = ",",
      defaultValue = "1000,2000,5000,10000",
      description =
          "The latency curve: rates the layer runs live at, events/s. Default: ${DEFAULT-VALUE}.")
  List<Integer> rates;

  @Option(
      names = "--search-steps",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "Rates tried above the highest sustained rate of the curve (x1.5, then bisecting). "
              + "Default: ${DEFAULT-VALUE}.")
  int searchSteps;

  @Option(
      names = "--sustain",
      paramLabel = "DURATION",
      defaultValue = "90s",
      converter = DurationConverter.class,
      description =
          "Window of each live run after the warm-up: latency is measured and the lag must not grow "
              + "over it (e.g. 90s, 3m). The lag is fitted through the lowest sample of each lake "
              + "period (30 s): keep at least three in the window. Default: ${DEFAULT-VALUE}.")
  Duration sustain;

  @Option(
      names = "--warmup",
      paramLabel = "DURATION",
      defaultValue = "15s",
      converter = DurationConverter.class,
      description =
          "Produced before the window starts (JIT, first batches). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(
      names = "--latency-rate",
      paramLabel = "EPS",
      defaultValue = "10000",
      description = "The headline latency's rate (one of --rates). Default: ${DEFAULT-VALUE}.")
  int latencyRate;

  @Option(
      names = "--drain-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      converter = DurationConverter.class,
      description =
          "After producing, wait at most this long for the queries to catch up. Default: ${DEFAULT-VALUE}.")
  Duration drainTimeout;

  @Option(
      names = "--catchup-records",
      paramLabel = "N",
      defaultValue = "600000",
      description = "Backlog for the raw-consume and catch-up measures. Default: ${DEFAULT-VALUE}.")
  int catchupRecords;

  @Option(
      names = "--catchup-batch",
      paramLabel = "N",
      defaultValue = "200000",
      description =
          "Records per micro-batch while catching up (maxOffsetsPerTrigger). Default: ${DEFAULT-VALUE}.")
  int catchupBatch;

  @Option(
      names = "--floor-rates",
      paramLabel = "EPS",
      split = ",",
      defaultValue = "2000,10000",
      description = "Rates each floor query runs live at (0: none). Default: ${DEFAULT-VALUE}.")
  List<Integer> floorRates;

  @Option(
      names = "--s3-checkpoint-rates",
      paramLabel = "EPS",
      split = ",",
      defaultValue = "2000",
      description =
          "Rates the layer also runs at with its checkpoints on the S3 API (0: none). "
              + "Default: ${DEFAULT-VALUE}.")
  List<Integer> s3CheckpointRates;

  @Option(
      names = "--tolerance",
      paramLabel = "SHARE",
      defaultValue = "0.02",
      description =
          "Sustained = lag grows by less than this share of the rate per second, and the producer "
              + "reached the rate within it. Default: ${DEFAULT-VALUE}.")
  double tolerance;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "A speed-layer setting for every phase (as for ./touchpoint stream --conf). Repeatable.")
  List<String> jobConf = new ArrayList<>();

  @Option(
      names = "--compare-conf",
      paramLabel = "KEY=VALUE",
      description =
          "An A/B in one run: each rate of --rates runs twice in a row, as configured (A, the "
              + "curve), then with this setting added (B, recorded under \"compare\" in the "
              + "results, not in the curve or the headline). Repeatable.")
  List<String> compareConf = new ArrayList<>();

  @Option(
      names = "--lake-jvm",
      description =
          "Run the lake's queries (ingest, speed tables) of each live run of the layer in a second "
              + "JVM at a lower OS priority (--lake-nice), the attribution query alone in the "
              + "bench's JVM: the layer as two Spark applications. The lake JVM is started once, "
              + "warmed by draining the catch-up backlog alone (its catch-up rate and CPU, beside "
              + "the attribution query's alone), and kept for every live run. Default: all three "
              + "in the bench's JVM. The layer's catch-up and the S3-API checkpoint phases always "
              + "run in one JVM.")
  boolean lakeJvm;

  @Option(
      names = "--compare-lake-jvm",
      description =
          "An A/B in one run (as --compare-conf, combinable with it): B runs the lake's queries "
              + "the other way than A (in a second JVM if A runs them in the bench's, and the "
              + "other way round).")
  boolean compareLakeJvm;

  @Option(
      names = "--compare-lake-nice",
      paramLabel = "N",
      defaultValue = "-1",
      description =
          "An A/B in one run (as --compare-conf; with --lake-jvm): B runs the lake's queries in a "
              + "second lake JVM at this nice increment, started and warmed like the first. "
              + "Default: none.")
  int compareLakeNice;

  @Option(
      names = "--lake-nice",
      paramLabel = "N",
      defaultValue = "10",
      description =
          "With --lake-jvm: the lake JVM's nice increment (0-19; higher = lower OS priority). "
              + "Default: ${DEFAULT-VALUE}.")
  int lakeNice;

  @Option(
      names = "--lake-heap",
      paramLabel = "SIZE",
      defaultValue = "3g",
      description = "With --lake-jvm: the lake JVM's -Xmx. Default: ${DEFAULT-VALUE}.")
  String lakeHeap;

  @Option(
      names = "--lake-start-timeout",
      paramLabel = "DURATION",
      defaultValue = "180s",
      converter = DurationConverter.class,
      description =
          "With --lake-jvm: how long the lake JVM may take to start its queries; production "
              + "begins once they have. Default: ${DEFAULT-VALUE}.")
  Duration lakeStartTimeout;

  @Option(
      names = "--lake-java-opts",
      paramLabel = "OPTS",
      defaultValue = "",
      description =
          "With --lake-jvm: more JVM options of the lake JVM, space-separated; {nice} is "
              + "replaced by its nice increment (one lake JVM per increment, e.g. a JFR recording "
              + "of each, -XX:StartFlightRecording=filename=lake-{nice}.jfr). Default: none.")
  String lakeJavaOpts;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      defaultValue = "bench/results",
      description =
          "Folder of the results file (relative to the repository root). Default: ${DEFAULT-VALUE}.")
  Path output;

  @Option(
      names = "--keep",
      description =
          "Keep the run's topics, bucket (lakes, S3-API checkpoints) and local checkpoints for "
              + "inspection. Default: removed at the end of the run, also when it fails or is "
              + "interrupted.")
  boolean keep;

  private PrintStream out;
  private long began;

  /** The lake JVMs of the run, by nice increment (started after the catch-up, kept to the end). */
  private final Map<Integer, LakeProcess> lakes = new LinkedHashMap<>();

  /** Writes the results measured so far (set once the run's settings are known). */
  private Callable<Path> partial;

  /** How long the lake JVM may take to drain the catch-up backlog alone. */
  private static final Duration LAKE_CATCHUP_WAIT = Duration.ofMinutes(20);

  @Override
  public Integer call() throws Exception {
    validate();
    out = System.out;
    began = System.nanoTime();
    BenchStack stack = BenchStack.up();
    stack.resources.finishOnShutdown(keep, out);
    try {
      return run(stack);
    } finally {
      stack.resources.finishAndReport(keep, out);
    }
  }

  private int run(BenchStack stack) throws Exception {
    out.printf("bench stream: simulating %d devices x 3 days...%n", devices);
    Path simDir = Files.createTempDirectory("bench-stream-sim");
    stack.resources.folder(simDir);
    SimulatedRecords sim = SimulatedRecords.simulate(simDir, devices, 3, 0.005);
    out.printf("bench stream: %d records in memory (%s)%n", sim.records.size(), elapsed(began));

    StreamBenchResult result = new StreamBenchResult();
    boolean endedEarly = false;
    BenchStack.Phase catchup = stack.new Phase("catchup");
    StreamingConfig catchupJob =
        catchup.jobConfig(
            sim.rulesOverlay,
            BenchStack.CheckpointStore.LOCAL,
            with("kafka.max-offsets-per-trigger=" + catchupBatch));
    partial = () -> writeResults(stack, sim, catchupJob, result);
    SparkSession spark = StreamingJob.session(catchupJob);
    BatchCosts costs = new BatchCosts();
    spark.streams().addListener(costs);
    try {
      // 1. one backlog: raw consume, then the layer and the two floors each drain it
      CatchUp c = new CatchUp(spark, stack.kafka, out);
      double raw = c.backlogAndRawConsume(catchup, sim.first(catchupRecords));
      CatchUp.Outcome layer =
          measured("speed layer", "layer_one_jvm", () -> c.speedLayer(catchupJob), result);
      Map<FloorQueries.Kind, CatchUp.Outcome> floorCatchUp =
          new java.util.EnumMap<>(FloorQueries.Kind.class);
      for (FloorQueries.Kind kind : FloorQueries.Kind.values()) {
        BenchStack.Phase p = stack.new Phase("catchup-" + kind.label, catchup);
        CatchUp.Outcome f =
            measured(
                kind.label,
                kind.label,
                () ->
                    c.floor(
                        kind,
                        p,
                        p.checkpoint(BenchStack.CheckpointStore.LOCAL, kind.label),
                        catchupBatch),
                result);
        floorCatchUp.put(kind, f);
      }
      result.catchUp(
          raw,
          layer,
          floorCatchUp.get(FloorQueries.Kind.STATELESS),
          floorCatchUp.get(FloorQueries.Kind.STATEFUL));
      if (!lakeNices().isEmpty()) {
        catchUpInParts(stack, spark, sim, catchup, c, result);
      }

      // 2. the latency curve, then the search above its highest sustained rate
      LiveRun live = new LiveRun(spark, stack.kafka, out, Duration.ofSeconds(2), warmup);
      Duration produceFor = warmup.plus(sustain);
      int best = 0;
      Integer lowestFailed = null;
      for (int rate : rates) {
        Boolean ok = layerLive(stack, live, sim, result, rate, Variant.CURVE, costs);
        if (ok == null) {
          break;
        }
        if (!compareConf.isEmpty() || compareLakeJvm || compareLakeNice >= 0) {
          layerLive(stack, live, sim, result, rate, Variant.COMPARE, costs);
        }
        if (ok) {
          best = Math.max(best, rate);
        } else if (lowestFailed == null || rate < lowestFailed) {
          lowestFailed = rate;
        }
      }
      for (int step = 0; step < searchSteps && best > 0; step++) {
        int rate = lowestFailed == null ? round(best * 1.5) : round((best + lowestFailed) / 2.0);
        if (rate <= best || (lowestFailed != null && rate >= lowestFailed)) {
          break;
        }
        Boolean ok = layerLive(stack, live, sim, result, rate, Variant.CURVE, costs);
        if (ok == null) {
          break;
        }
        if (ok) {
          best = rate;
        } else {
          lowestFailed = rate;
        }
      }

      // 3. checkpoints on the S3 API instead of local disk
      for (int rate : s3CheckpointRates.stream().filter(r -> r > 0).toList()) {
        layerLive(stack, live, sim, result, rate, Variant.S3_CHECKPOINTS, costs);
      }

      // 4. the floor, live
      for (int rate : floorRates.stream().filter(r -> r > 0).toList()) {
        for (FloorQueries.Kind kind : FloorQueries.Kind.values()) {
          BenchStack.Phase phase = stack.new Phase(kind.label + "-" + rate);
          String checkpoint = phase.checkpoint(BenchStack.CheckpointStore.LOCAL, kind.label);
          out.printf("bench stream: %s at %d/s for %s...%n", kind.label, rate, produceFor);
          try {
            LiveRun.Outcome o =
                live.run(
                    phase,
                    () ->
                        LiveRun.Running.of(
                            List.of(FloorQueries.start(spark, kind, phase, checkpoint, false, 0)),
                            List.of(),
                            0),
                    sim.first((long) rate * produceFor.toSeconds()),
                    rate,
                    produceFor,
                    drainTimeout);
            boolean ok = LagTrend.sustained(o, warmup.toSeconds(), sustain.toSeconds(), tolerance);
            double slope = LagTrend.slope(o, warmup.toSeconds());
            Latencies lat =
                Latencies.of(
                    stack.kafka, phase.outputs(), o.producedAtStartMs() + warmup.toMillis());
            result.floorLive(kind, o, slope, ok, lat);
            if (o.cpu() != null) {
              out.println("bench stream: cpu " + cpuLine(o.cpu(), rate));
            }
            String query = kind.label + "-" + phase.name;
            Map<String, Object> floorCosts = new LinkedHashMap<>();
            floorCosts.put(query, costs.summary(query));
            result.batchCosts(phase.name, floorCosts);
            out.println("bench stream: batch costs " + costs.line(query));
            savePartial();
            out.printf(
                "bench stream: %s %d/s %s, p50/p95/p99 %d/%d/%d ms (%s)%n",
                kind.label,
                rate,
                ok ? "SUSTAINED" : "not sustained",
                lat.percentile(0.50),
                lat.percentile(0.95),
                lat.percentile(0.99),
                elapsed(began));
          } catch (RuntimeException e) {
            // one failed phase (a broker time-out) must not lose the run's other figures
            out.printf("bench stream: %s at %d/s FAILED: %s%n", kind.label, rate, e.getMessage());
            result.failed(phase.name, e.getMessage());
          }
        }
      }
      result.headline(best, latencyRate);
    } catch (Exception e) {
      // whatever was measured before still goes into the results file
      out.printf("bench stream: run ended early: %s%n", e);
      result.failed("run", String.valueOf(e.getMessage()));
      endedEarly = true;
    } finally {
      for (LakeProcess lake : lakes.values()) {
        lake.close();
      }
      spark.stop();
    }
    Path file = writeResults(stack, sim, catchupJob, result);
    out.println("bench stream: wrote " + file + " (" + elapsed(began) + ")");
    return endedEarly ? 1 : 0;
  }

  /**
   * Writes the results file with what has been measured so far: after each live phase (a run cut
   * short still leaves its figures) and at the end.
   */
  private Path writeResults(
      BenchStack stack, SimulatedRecords sim, StreamingConfig catchupJob, StreamBenchResult result)
      throws java.io.IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("devices", devices);
    config.put("simulated_records", sim.records.size());
    config.put("rates", rates);
    config.put("search_steps", searchSteps);
    config.put("sustain_s", sustain.toSeconds());
    config.put("warmup_s", warmup.toSeconds());
    config.put("tolerance", tolerance);
    config.put("catchup_records", catchupRecords);
    config.put("catchup_batch", catchupBatch);
    config.put("floor_rates", floorRates);
    config.put("partitions_per_topic", stack.config.kafkaPartitions);
    config.put("job_conf", jobConf);
    config.put("compare_conf", compareConf);
    config.put(
        "lake_queries",
        lakeJvm
            ? "live runs: one second JVM for the whole run (queries=lake, nice "
                + lakeNice
                + ", -Xmx"
                + lakeHeap
                + "), warmed by draining the catch-up backlog alone twice"
            : "the bench's JVM");
    if (compareLakeJvm) {
      config.put(
          "compare_lake_queries",
          lakeJvm ? "the bench's JVM" : "a second JVM (nice " + lakeNice + ")");
    }
    if (compareLakeNice >= 0) {
      config.put(
          "compare_lake_queries",
          "another second JVM for the whole run (nice " + compareLakeNice + "), warmed alike");
    }
    config.put("spark", sparkFacts(catchupJob));
    config.put(
        "checkpoints", "local disk under the stack's home (checkpoint_on_s3: S3Proxy via s3a)");
    config.put("lake", "S3Proxy via s3a");
    config.put("kept", keep);
    result.config(config);
    result.wallSeconds((System.nanoTime() - began) / 1e9);
    Path dir = stack.config.repoRoot.resolve(output);
    return result.write(dir);
  }

  /** The results so far into the results file; a failure to write is logged, not fatal. */
  private void savePartial() {
    try {
      partial.call();
    } catch (Exception e) {
      out.println("bench stream: could not write the results so far: " + e);
    }
  }

  /** How a live run of the layer is configured and where its figures go. */
  private enum Variant {
    /** a point of the latency curve (or of the search above it) */
    CURVE("rate-", BenchStack.CheckpointStore.LOCAL),
    /** checkpoints on the S3 API */
    S3_CHECKPOINTS("s3-checkpoint-", BenchStack.CheckpointStore.S3),
    /** B of an A/B: the curve's settings plus --compare-conf */
    COMPARE("compare-", BenchStack.CheckpointStore.LOCAL);

    final String prefix;
    final BenchStack.CheckpointStore store;

    Variant(String prefix, BenchStack.CheckpointStore store) {
      this.prefix = prefix;
      this.store = store;
    }
  }

  /**
   * The speed layer live at {@code rate}: whether it kept up (null when the simulation has too few
   * records for the run), recorded as a curve point or apart ({@link Variant}).
   */
  private Boolean layerLive(
      BenchStack stack,
      LiveRun live,
      SimulatedRecords sim,
      StreamBenchResult result,
      int rate,
      Variant variant,
      BatchCosts costs)
      throws Exception {
    BenchStack.CheckpointStore store = variant.store;
    Duration produceFor = warmup.plus(sustain);
    List<io.touchpoint.simulator.output.OutRecord> records =
        sim.first((long) rate * produceFor.toSeconds());
    if (records.size() < (long) rate * produceFor.toSeconds()) {
      // too few records would end the window early and read as "not sustained"
      out.printf(
          "bench stream: only %d records for %d/s over %s: stopped here (raise --devices)%n",
          records.size(), rate, produceFor);
      return null;
    }
    BenchStack.Phase phase = stack.new Phase(variant.prefix + rate);
    List<String> conf = new ArrayList<>(jobConf);
    if (variant == Variant.COMPARE) {
      conf.addAll(compareConf);
    }
    Integer nice = lakeNiceOf(variant);
    boolean ownLake = nice != null;
    out.printf(
        "bench stream: speed layer at %d/s for %s (warm-up %s, checkpoints %s%s%s)...%n",
        rate,
        produceFor,
        warmup,
        store,
        ownLake ? ", lake queries in the lake JVM at nice " + nice : "",
        variant == Variant.COMPARE ? ", with " + compareConf : "");
    LiveRun.Outcome o;
    LiveRun.LakeStarter lake = null;
    StreamingConfig job;
    if (ownLake) {
      List<String> lakeSettings = phase.jobSettings(sim.rulesOverlay, store, conf);
      lakeSettings.add("queries=" + StreamingConfig.Queries.LAKE.label());
      StreamingConfig lakeJob = StreamingConfig.load(null, lakeSettings);
      conf.add("queries=" + StreamingConfig.Queries.ATTRIBUTION.label());
      LakeProcess server = lakes.get(nice);
      lake = () -> server.startQueries(lakeSettings, lakeJob);
    }
    job = phase.jobConfig(sim.rulesOverlay, store, conf);
    try {
      o = live.run(phase, job, records, rate, produceFor, drainTimeout, lake);
    } catch (RuntimeException e) {
      // one failed phase (a broker time-out) must not lose the run's other figures
      out.printf("bench stream: speed layer at %d/s FAILED: %s%n", rate, e.getMessage());
      result.failed(phase.name, e.getMessage());
      savePartial();
      return false;
    }
    boolean ok = LagTrend.sustained(o, warmup.toSeconds(), sustain.toSeconds(), tolerance);
    double slope = LagTrend.slope(o, warmup.toSeconds());
    Latencies lat =
        Latencies.of(stack.kafka, phase.outputs(), o.producedAtStartMs() + warmup.toMillis());
    Map<String, Object> phaseCosts = new LinkedHashMap<>();
    for (String query : StreamingJob.queryNames(job)) {
      phaseCosts.put(query, costs.summary(query));
      out.println("bench stream: batch costs " + costs.line(query));
    }
    result.batchCosts(phase.name, phaseCosts);
    if (o.cpu() != null) {
      out.println("bench stream: cpu " + cpuLine(o.cpu(), rate));
    }
    switch (variant) {
      case CURVE -> result.rateTried(o, slope, ok, lat);
      case S3_CHECKPOINTS -> result.checkpointOnS3(o, slope, ok, lat);
      case COMPARE -> result.compared(o, slope, ok, lat);
    }
    savePartial();
    out.printf(
        "bench stream: %s%s%d/s %s (lag slope %.0f records/s, achieved %.0f/s), p50/p95/p99 %d/%d/%d ms (%s)%n",
        variant == Variant.COMPARE ? "compare " : "",
        ownLake ? "(lake JVM nice " + nice + ") " : "",
        rate,
        ok ? "SUSTAINED" : "not sustained",
        slope,
        o.achievedRate(),
        lat.percentile(0.50),
        lat.percentile(0.95),
        lat.percentile(0.99),
        elapsed(began));
    return ok;
  }

  /**
   * A catch-up in this JVM, its rate and this JVM's CPU over it recorded as {@code part} of {@code
   * catchup_parts}.
   */
  private CatchUp.Outcome measured(
      String what, String part, Callable<CatchUp.Outcome> catchUp, StreamBenchResult result)
      throws Exception {
    long cpu0 = LakeServer.processCpuNanos();
    CatchUp.Outcome o = catchUp.call();
    double cpu = (LakeServer.processCpuNanos() - cpu0) / 1e9;
    result.catchUpPart(part, o.records(), o.steadyEps(), o.wallSeconds(), cpu);
    out.printf(
        "bench stream: %s catch-up %.0f records/s, %.1f CPU s (%s)%n",
        what, o.steadyEps(), cpu, elapsed(began));
    return o;
  }

  /** The nice increment of the lake JVM a live run of {@code variant} uses (null: none). */
  private Integer lakeNiceOf(Variant variant) {
    if (variant.store != BenchStack.CheckpointStore.LOCAL) {
      return null;
    }
    if (variant == Variant.COMPARE && compareLakeNice >= 0) {
      return compareLakeNice;
    }
    boolean own = variant == Variant.COMPARE && compareLakeJvm ? !lakeJvm : lakeJvm;
    return own ? lakeNice : null;
  }

  /** The nice increments of the lake JVMs the run needs. */
  private java.util.Set<Integer> lakeNices() {
    java.util.Set<Integer> n = new java.util.LinkedHashSet<>();
    if (lakeJvm || compareLakeJvm) {
      n.add(lakeNice);
    }
    if (compareLakeNice >= 0) {
      n.add(compareLakeNice);
    }
    return n;
  }

  /**
   * The layer's two parts, each alone over the catch-up backlog: the attribution query in this JVM
   * (its rate and CPU per record), then, in each lake JVM (started here and kept for the run), the
   * lake's queries twice on fresh checkpoints and lakes, the first to warm the JVM (JIT, classes,
   * Delta), the second measured. The lake reads the backlog's inputs and the outputs the layer's
   * catch-up wrote.
   */
  private void catchUpInParts(
      BenchStack stack,
      SparkSession spark,
      SimulatedRecords sim,
      BenchStack.Phase catchup,
      CatchUp c,
      StreamBenchResult result)
      throws Exception {
    String cap = "kafka.max-offsets-per-trigger=" + catchupBatch;
    BenchStack.Phase alone = stack.new Phase("catchup-attribution", catchup);
    StreamingConfig aloneJob =
        alone.jobConfig(
            sim.rulesOverlay,
            BenchStack.CheckpointStore.LOCAL,
            with(cap, "queries=" + StreamingConfig.Queries.ATTRIBUTION.label()));
    measured("attribution query alone", "attribution_alone", () -> c.speedLayer(aloneJob), result);
    Path logs = Files.createTempDirectory("bench-stream-lake-logs");
    for (int nice : lakeNices()) {
      LakeProcess.Settings how =
          new LakeProcess.Settings(
              nice,
              lakeHeap,
              lakeJavaOpts.isBlank()
                  ? List.of()
                  : List.of(
                      lakeJavaOpts
                          .replace("{nice}", "nice" + nice)
                          .replace("{phase}", "nice" + nice)
                          .trim()
                          .split("\\s+")),
              lakeStartTimeout,
              StreamingConfig.load(null, jobConf).stopGracePeriod);
      Path log = logs.resolve("lake-nice" + nice + ".log");
      out.printf("bench stream: lake JVM at nice %d (log %s)%n", nice, log);
      LakeProcess lake = LakeProcess.start(spark, how, log);
      lakes.put(nice, lake);
      for (String round : List.of("warm-up", "measured")) {
        BenchStack.Phase p = stack.new Phase("catchup-lake-nice" + nice + "-" + round, catchup);
        List<String> settings =
            p.jobSettings(sim.rulesOverlay, BenchStack.CheckpointStore.LOCAL, with(cap));
        settings.add("kafka.topics.attributions=" + catchup.attributions);
        settings.add("kafka.topics.attributed-events=" + catchup.attributedEvents);
        settings.add("queries=" + StreamingConfig.Queries.LAKE.label());
        LakeProcess.CatchUpOutcome o = lake.catchUp(settings, LAKE_CATCHUP_WAIT);
        double eps = o.ingestRows() / o.wallSeconds();
        if (round.equals("measured")) {
          result.catchUpPart(
              "lake_alone_nice" + nice, o.ingestRows(), eps, o.wallSeconds(), o.cpuSeconds());
        }
        out.printf(
            "bench stream: lake JVM (nice %d) alone, %s: %d input rows (+%d output rows) in %.1f s = %.0f/s, %.1f CPU s (%s)%n",
            nice,
            round,
            o.ingestRows(),
            o.speedTablesRows(),
            o.wallSeconds(),
            eps,
            o.cpuSeconds(),
            elapsed(began));
      }
    }
  }

  /** A live run's CPU, cores on average over its window, for the run's log. */
  private static String cpuLine(CpuMeter.Cpu c, int rate) {
    double w = c.wallSeconds();
    double k = rate * w / 1000;
    return String.format(
        Locale.ROOT,
        "over %.0f s, cores (CPU s per 1 000 records): bench JVM's queries %.2f (%.3f), producer %.2f"
            + " (%.3f), lake JVM %.2f (%.3f), machine %.2f (%.3f)",
        w,
        (c.benchJvmSeconds() - c.producerSeconds()) / w,
        (c.benchJvmSeconds() - c.producerSeconds()) / k,
        c.producerSeconds() / w,
        c.producerSeconds() / k,
        c.lakeJvmSeconds() / w,
        c.lakeJvmSeconds() / k,
        c.machineSeconds() / w,
        c.machineSeconds() / k);
  }

  private static int round(double rate) {
    return (int) Math.max(100, Math.round(rate / 100) * 100);
  }

  private void validate() {
    require(devices >= 100, "--devices must be at least 100");
    require(!rates.isEmpty() && rates.stream().allMatch(r -> r > 0), "--rates must be positive");
    require(floorRates.stream().allMatch(r -> r >= 0), "--floor-rates must be positive (0: none)");
    require(
        s3CheckpointRates.stream().allMatch(r -> r >= 0),
        "--s3-checkpoint-rates must be positive (0: none)");
    require(searchSteps >= 0, "--search-steps must be at least 0");
    require(!sustain.isNegative() && sustain.toSeconds() >= 10, "--sustain must be at least 10s");
    require(rates.contains(latencyRate), "--latency-rate must be one of --rates");
    require(
        catchupRecords > 0 && catchupBatch > 0,
        "--catchup-records and --catchup-batch must be positive");
    require(tolerance > 0 && tolerance < 1, "--tolerance must be between 0 and 1");
    require(lakeNice >= 0 && lakeNice <= 19, "--lake-nice must be between 0 and 19");
    require(
        compareLakeNice < 0 || (lakeJvm && compareLakeNice <= 19 && compareLakeNice != lakeNice),
        "--compare-lake-nice wants --lake-jvm and another increment (0-19) than --lake-nice");
    require(
        !(compareLakeJvm && compareLakeNice >= 0),
        "--compare-lake-jvm and --compare-lake-nice are two different B's: choose one");
    jobConf.forEach(c -> require(c.contains("="), "--conf wants KEY=VALUE: " + c));
    compareConf.forEach(c -> require(c.contains("="), "--compare-conf wants KEY=VALUE: " + c));
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private List<String> with(String... settings) {
    List<String> all = new ArrayList<>(jobConf);
    all.addAll(List.of(settings));
    return all;
  }

  private static Map<String, String> sparkFacts(StreamingConfig job) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k :
        List.of(
            "spark.master",
            "spark.sql.shuffle.partitions",
            "spark.sql.streaming.stateStore.providerClass",
            "spark.databricks.delta.snapshotPartitions")) {
      String v = job.sparkOverrides.getOrDefault(k, job.sparkDefaults.get(k));
      if (v != null) {
        m.put(k, v);
      }
    }
    m.put("trigger_interval", job.triggerInterval.toString());
    return m;
  }

  private static String elapsed(long since) {
    return String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - since) / 1e9);
  }

  /** "90s", "3m", "1h" or plain seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.replaceAll("[smh]$", ""));
        return switch (v.charAt(v.length() - 1)) {
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw new CommandLine.TypeConversionException("not a duration (e.g. 90s, 3m): " + value);
      }
    }
  }
}
