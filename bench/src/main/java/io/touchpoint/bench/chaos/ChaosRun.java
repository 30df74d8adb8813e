package io.touchpoint.bench.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.local.KafkaTopics;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import io.touchpoint.model.Topics;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.Simulator;
import io.touchpoint.simulator.output.InputProducers;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.output.OutputOptions;
import io.touchpoint.simulator.output.RecordSink;
import io.touchpoint.simulator.output.RulesOverlay;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.SparkSession;

/**
 * Faults against a reference: one seeded simulation goes into Kafka once; the speed layer, the
 * nightly batch and the ClickHouse day load run over it twice, as child processes — once without
 * faults (the reference), once with them: the speed layer SIGKILLed at seeded random moments and
 * restarted, the broker SIGKILLed and restarted and the S3 API stopped for a while under it, the
 * batch SIGKILLed at seeded random moments and rerun, a load SIGKILLed mid-way and rerun. Then the
 * output topics, the Delta tables and the ClickHouse tables of the run must equal the reference's.
 */
public final class ChaosRun {

  /** What to inject, and the input. */
  public record Settings(
      int devices,
      int days,
      long seed,
      int streamKills,
      int brokerRestarts,
      int s3Outages,
      Duration s3Outage,
      int batchKills,
      int loadKills,
      Duration maxKillDelay,
      int batchesPerFault,
      String childHeap) {

    int streamFaults() {
      return streamKills + brokerRestarts + s3Outages;
    }

    boolean batchPhase() {
      return batchKills > 0 || loadKills > 0;
    }
  }

  /** One fault: when, what it hit, whether the job came back and how long that took. */
  public record Fault(
      String kind,
      int number,
      double atSeconds,
      String hit,
      boolean injected,
      boolean jobRestarted,
      boolean recovered,
      Double secondsToRecover) {}

  /** Per kind: injected and recovered. */
  public record Tally(String kind, int planned, int injected, int recovered) {}

  public record Result(
      int records,
      List<Tally> tally,
      List<Fault> faults,
      List<Comparison> comparisons,
      long rowsCompared,
      Map<String, Double> referenceSeconds,
      double seconds,
      String error) {

    public boolean holds() {
      return error == null
          && tally.stream()
              .allMatch(t -> t.injected() == t.planned() && t.recovered() == t.planned())
          && !comparisons.isEmpty()
          && comparisons.stream().allMatch(Comparison::identical);
    }
  }

  static final String STREAM_KILL = "speed layer SIGKILL";
  static final String BROKER = "Kafka broker SIGKILL + restart";
  static final String S3 = "S3 API stopped";
  static final String BATCH_KILL = "batch SIGKILL";
  static final String LOAD_KILL = "ClickHouse load SIGKILL";

  /** The speed layer logs one line per micro-batch it completed (ops.ProgressLogger). */
  private static final String STREAM_PROGRESS = " batch=";

  /** How long a job may take to make progress again after a fault. */
  private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(10);

  /** How long a job may take to finish. */
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(40);

  /**
   * The launcher's command line: {@code batch} and {@code serve load} run as {@code ./touchpoint}
   * runs them.
   */
  private static final String CLI_MAIN = "io.touchpoint.cli.Touchpoint";

  private final StackConfig config;
  private final Stack stack;
  private final Settings settings;
  private final PrintStream log;
  private final String id = UUID.randomUUID().toString().substring(0, 8);
  private final String bucket;
  private final Path work;
  private final Random random;
  private final long started = System.nanoTime();
  private final List<Fault> faults = new ArrayList<>();
  private final List<Comparison> comparisons = new ArrayList<>();
  private final Map<String, Double> referenceSeconds = new java.util.LinkedHashMap<>();

  public ChaosRun(
      StackConfig config,
      Stack stack,
      String bucket,
      Settings settings,
      Path work,
      PrintStream log) {
    this.config = config;
    this.stack = stack;
    this.bucket = bucket;
    this.settings = settings;
    this.work = work;
    this.log = log;
    this.random = new Random(settings.seed());
  }

  /**
   * Runs every phase; a phase that cannot go on (a reference job failed, a job never finished) ends
   * the run with what was measured so far and the reason in {@link Result#error}.
   */
  public Result run(SparkSession spark) throws Exception {
    String error = null;
    int records = 0;
    try {
      records = phases(spark);
    } catch (IllegalStateException e) {
      error = e.getMessage();
      progress("STOPPED: %s", error);
    }
    return result(records, error);
  }

  private int phases(SparkSession spark) throws Exception {
    List<OutRecord> records = simulate();
    LocalDate first = SimulationParams.DEFAULT_START_DATE;
    LocalDate last = first.plusDays(settings.days() - 1);
    LocalDate historyStart = historyStart();
    String touchpoints = topic("touchpoints");
    String appEvents = topic("app-events");
    Outputs ref = new Outputs("ref");
    Outputs run = new Outputs("run");
    List<String> all = new ArrayList<>(List.of(touchpoints, appEvents));
    all.addAll(ref.topics());
    all.addAll(run.topics());
    createTopics(all);
    produce(records, touchpoints, appEvents);
    long perTrigger =
        Math.max(
            50, records.size() / Math.max(1, settings.streamFaults() * settings.batchesPerFault()));
    progress(
        "%d records (%d devices x %d days, history from %s) in %s, %s; %d records per micro-batch",
        records.size(),
        settings.devices(),
        settings.days(),
        historyStart,
        touchpoints,
        appEvents,
        perTrigger);

    // the speed layer: reference, then with faults
    long t = System.nanoTime();
    // the reference in this JVM (no faults to inject into it): one JVM start less
    StreamingConfig refConfig =
        StreamingConfig.load(null, streamConf(ref, touchpoints, appEvents, perTrigger));
    require(
        StreamingJob.run(spark, refConfig, StreamingJob.RunOptions.caughtUp()) == 0,
        "the reference speed layer failed");
    referenceSeconds.put("stream", secs(t));
    progress("reference speed layer caught up in %.1f s", secs(t));
    streamWithFaults(run, touchpoints, appEvents, perTrigger);

    TopicComparison topics = new TopicComparison(config.kafkaBootstrap());
    compared(topics.byKey("attributions", ref.attributions, run.attributions));
    compared(topics.byKey("attributed-events", ref.attributedEvents, run.attributedEvents));
    compared(topics.deadLetters(ref.deadLetter, run.deadLetter));
    LakeComparison lake = new LakeComparison(spark);
    for (LakeComparison.Table table : LakeComparison.SPEED) {
      compared(lake.compare("delta", table, ref.lake, run.lake));
    }

    if (settings.batchPhase()) {
      t = System.nanoTime();
      batchHistory(ref, historyStart, first);
      ChildJob refBatch = batch("batch-ref", ref, first, last);
      require(refBatch.await(RUN_TIMEOUT) == 0, "the reference batch failed: see " + logs());
      double batchSeconds = secs(refBatch.startedNanos());
      referenceSeconds.put("batch", batchSeconds);
      progress("reference batch %s..%s done in %.1f s", first, last, secs(t));
      batchWithKills(run, historyStart, first, last, batchSeconds);
      for (LakeComparison.Table table : LakeComparison.BATCH) {
        compared(lake.compare("delta", table, ref.lake, run.lake));
      }

      if (settings.loadKills() > 0) {
        t = System.nanoTime();
        ChildJob refLoad = load("load-ref", ref, first, last);
        require(refLoad.await(RUN_TIMEOUT) == 0, "the reference load failed: see " + logs());
        referenceSeconds.put("clickhouse-load", secs(t));
        progress("reference ClickHouse load done in %.1f s", secs(t));
        loadWithKills(run, first, last);
        ClickHouseComparison ch =
            new ClickHouseComparison("http://" + config.host + ":" + config.clickhousePort);
        for (String table : ClickHouseComparison.TABLES) {
          compared(ch.compare(table, ref.database, run.database));
        }
      }
    }
    return records.size();
  }

  private Result result(int records, String error) {
    List<Tally> tally = new ArrayList<>();
    tally(tally, STREAM_KILL, settings.streamKills());
    tally(tally, BROKER, settings.brokerRestarts());
    tally(tally, S3, settings.s3Outages());
    tally(tally, BATCH_KILL, settings.batchKills());
    tally(tally, LOAD_KILL, settings.loadKills());
    long rows = comparisons.stream().mapToLong(Comparison::referenceRows).sum();
    Result result =
        new Result(
            records, tally, faults, comparisons, rows, referenceSeconds, secs(started), error);
    tally.forEach(
        x ->
            progress(
                "%s: %d/%d injected, %d/%d recovered",
                x.kind(), x.injected(), x.planned(), x.recovered(), x.planned()));
    progress(
        "%d rows compared in %d tables/topics: %s (%.1f s in all)",
        rows,
        comparisons.size(),
        comparisons.stream().allMatch(Comparison::identical) ? "all identical" : "DIFFERENCES",
        secs(started));
    return result;
  }

  /** The speed layer over the same input, with the stream faults in a seeded order. */
  private void streamWithFaults(Outputs out, String touchpoints, String appEvents, long perTrigger)
      throws Exception {
    List<String> plan = new ArrayList<>(Collections.nCopies(settings.streamKills(), STREAM_KILL));
    Collections.shuffle(plan, random);
    // the service faults mid-run: after the first third and the second third of the kills
    for (int i = 0; i < settings.s3Outages(); i++) {
      plan.add(Math.min(plan.size(), (2 * plan.size()) / 3), S3);
    }
    for (int i = 0; i < settings.brokerRestarts(); i++) {
      plan.add(Math.min(plan.size(), plan.size() / 3), BROKER);
    }
    StackFaults stackFaults = new StackFaults(config, stack);
    int attempt = 0;
    ChildJob job = stream("stream-run-" + attempt++, out, touchpoints, appEvents, perTrigger);
    for (int n = 0; n < plan.size(); n++) {
      String kind = plan.get(n);
      String label = String.format(Locale.ROOT, "[stream %d/%d] %s", n + 1, plan.size(), kind);
      if (!job.isAlive()) {
        job = stream("stream-run-" + attempt++, out, touchpoints, appEvents, perTrigger);
      }
      // aim at a working job: wait for a micro-batch of this process, then a seeded delay
      if (!job.awaitProgress(0, RECOVERY_TIMEOUT) || !sleepWhileAlive(job, delay())) {
        faults.add(
            new Fault(kind, n + 1, secs(started), "job ended first", false, false, false, null));
        progress("%s: NOT INJECTED: the speed layer had already caught up", label);
        continue;
      }
      double at = secs(started);
      long faultStart = System.nanoTime();
      String hit =
          "after micro-batch line " + job.progressLines() + ": " + shortLine(job.lastProgress());
      boolean restarted;
      if (kind.equals(STREAM_KILL)) {
        job.kill();
        job = stream("stream-run-" + attempt++, out, touchpoints, appEvents, perTrigger);
        restarted = true;
      } else {
        if (kind.equals(BROKER)) {
          stackFaults.killAndRestartBroker(Duration.ofSeconds(2));
        } else {
          stackFaults.stopS3For(settings.s3Outage());
        }
        restarted = !job.isAlive();
        if (restarted) {
          job = stream("stream-run-" + attempt++, out, touchpoints, appEvents, perTrigger);
        }
      }
      // recovered: the job completes a micro-batch again (restarting it if it gave up meanwhile)
      int before = restarted ? 0 : job.progressLines();
      boolean recovered = job.awaitProgress(before, RECOVERY_TIMEOUT);
      if (!recovered && !job.isAlive()) {
        restarted = true;
        job = stream("stream-run-" + attempt++, out, touchpoints, appEvents, perTrigger);
        recovered = job.awaitProgress(0, RECOVERY_TIMEOUT);
      }
      double toRecover = secs(faultStart);
      faults.add(new Fault(kind, n + 1, at, hit, true, restarted, recovered, toRecover));
      progress(
          "%s at %.1f s %s; %s; %s in %.1f s",
          label,
          at,
          hit,
          restarted ? "job restarted" : "job kept running",
          recovered ? "recovered (a micro-batch completed)" : "NOT RECOVERED",
          toRecover);
    }
    int exit = job.await(RUN_TIMEOUT);
    if (exit != 0) {
      progress("the speed layer ended with exit %d: restarting it once to finish", exit);
      exit =
          stream("stream-run-" + attempt++, out, touchpoints, appEvents, perTrigger)
              .await(RUN_TIMEOUT);
    }
    require(exit == 0, "the speed layer with faults did not finish: see " + logs());
    progress("speed layer with faults caught up (%d processes)", attempt);
  }

  /** The nightly batch over the run's lake, SIGKILLed at seeded moments and rerun. */
  private void batchWithKills(
      Outputs out, LocalDate historyStart, LocalDate first, LocalDate last, double referenceSeconds)
      throws Exception {
    batchHistory(out, historyStart, first);
    for (int k = 1; k <= settings.batchKills(); k++) {
      // a moment within the run's reference duration (the JVM start excluded: the first 15 %)
      double moment = referenceSeconds * (0.15 + 0.8 * random.nextDouble());
      ChildJob job = batch("batch-run-" + k, out, first, last);
      String label = String.format(Locale.ROOT, "[batch %d/%d]", k, settings.batchKills());
      if (!sleepWhileAlive(job, Duration.ofMillis((long) (moment * 1000)))) {
        faults.add(
            new Fault(BATCH_KILL, k, secs(started), "job ended first", false, false, false, null));
        progress("%s NOT INJECTED: the batch ended before %.1f s", label, moment);
        continue;
      }
      double at = secs(started);
      String hit = String.format(Locale.ROOT, "%.1f s into the run, %s", moment, step(job));
      job.kill();
      faults.add(new Fault(BATCH_KILL, k, at, hit, true, true, false, null));
      progress("%s SIGKILL %s; rerun", label, hit);
    }
    long t = System.nanoTime();
    int exit = batch("batch-run-final", out, first, last).await(RUN_TIMEOUT);
    boolean recovered = exit == 0;
    replaceRecovered(BATCH_KILL, recovered, secs(t));
    progress("batch rerun after the kills: exit %d in %.1f s", exit, secs(t));
    require(recovered, "the batch rerun failed: see " + logs());
  }

  /** The ClickHouse day load of the run's gold, SIGKILLed after its first table and rerun. */
  private void loadWithKills(Outputs out, LocalDate first, LocalDate last) throws Exception {
    for (int k = 1; k <= settings.loadKills(); k++) {
      ChildJob job = load("load-run-" + k, out, first, last);
      String label = String.format(Locale.ROOT, "[load %d/%d]", k, settings.loadKills());
      Duration delay = Duration.ofMillis(random.nextInt(300));
      if (!job.awaitProgress(0, RECOVERY_TIMEOUT) || !sleepWhileAlive(job, delay)) {
        faults.add(
            new Fault(LOAD_KILL, k, secs(started), "job ended first", false, false, false, null));
        progress("%s NOT INJECTED: the load ended first", label);
        continue;
      }
      double at = secs(started);
      String hit = "after " + job.progressLines() + " table(s): " + shortLine(job.lastProgress());
      job.kill();
      faults.add(new Fault(LOAD_KILL, k, at, hit, true, true, false, null));
      progress("%s SIGKILL %s; rerun", label, hit);
    }
    long t = System.nanoTime();
    int exit = load("load-run-final", out, first, last).await(RUN_TIMEOUT);
    boolean recovered = exit == 0;
    replaceRecovered(LOAD_KILL, recovered, secs(t));
    progress("ClickHouse load rerun after the kills: exit %d in %.1f s", exit, secs(t));
    require(recovered, "the load rerun failed: see " + logs());
  }

  /** A killed batch or load counts as recovered when the rerun after it completed. */
  private void replaceRecovered(String kind, boolean recovered, double rerunSeconds) {
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      if (f.kind().equals(kind) && f.injected()) {
        faults.set(
            i,
            new Fault(
                f.kind(), f.number(), f.atSeconds(), f.hit(), true, true, recovered, rerunSeconds));
      }
    }
  }

  private void batchHistory(Outputs out, LocalDate historyStart, LocalDate first)
      throws InterruptedException {
    if (!historyStart.isBefore(first)) {
      return;
    }
    List<String> args =
        List.of(
            "--date", historyStart.toString(),
            "--through", first.minusDays(1).toString(),
            "--steps", "compact");
    ChildJob job = batchJob("batch-history-" + out.name, out, args);
    require(job.await(RUN_TIMEOUT) == 0, "the history backfill failed: see " + logs());
  }

  private ChildJob batch(String name, Outputs out, LocalDate first, LocalDate last) {
    return batchJob(name, out, List.of("--date", first.toString(), "--through", last.toString()));
  }

  private ChildJob batchJob(String name, Outputs out, List<String> days) {
    List<String> args = new ArrayList<>(List.of("batch"));
    args.addAll(days);
    args.addAll(
        List.of(
            "--lake", out.lake,
            "--rules", rules().toString(),
            "--master", "local[2]",
            "--conf", "spark.sql.shuffle.partitions=2",
            "--conf", "spark.ui.enabled=false",
            "--conf", "spark.driver.host=127.0.0.1",
            "--conf", "spark.driver.bindAddress=127.0.0.1"));
    return ChildJob.start(
        name, CLI_MAIN, args, settings.childHeap(), logs(), l -> l.startsWith("batch: "));
  }

  private ChildJob load(String name, Outputs out, LocalDate first, LocalDate last)
      throws Exception {
    Path conf = work.resolve("serving-" + out.name + ".conf");
    Files.writeString(
        conf,
        "touchpoint.serving {\n"
            + "  clickhouse.database = \""
            + out.database
            + "\"\n"
            + "  lake.bucket = \""
            + bucket
            + "\"\n"
            + "  lake.gold-export-prefix = \""
            + id
            + "/"
            + out.name
            + "/export/gold\"\n"
            + "  rules-file = \""
            + rules()
            + "\"\n"
            + "}\n");
    return ChildJob.start(
        name,
        CLI_MAIN,
        List.of(
            "serve", "load",
            "--date", first.toString(),
            "--through", last.toString(),
            "--engine", "clickhouse",
            "--config", conf.toString()),
        "1g",
        logs(),
        l -> l.startsWith("clickhouse: "));
  }

  private ChildJob stream(
      String name, Outputs out, String touchpoints, String appEvents, long perTrigger) {
    List<String> args = new ArrayList<>(List.of("--until-caught-up"));
    streamConf(out, touchpoints, appEvents, perTrigger)
        .forEach(c -> args.addAll(List.of("--conf", c)));
    return ChildJob.start(
        name,
        StreamingJob.class.getName(),
        args,
        settings.childHeap(),
        logs(),
        l -> l.contains("query=chaos-" + id) && l.contains(STREAM_PROGRESS));
  }

  private List<String> streamConf(
      Outputs out, String touchpoints, String appEvents, long perTrigger) {
    return List.of(
        "app-name=chaos-" + id + "-" + out.name,
        "kafka.bootstrap-servers=" + config.kafkaBootstrap(),
        "kafka.topics.touchpoints=" + touchpoints,
        "kafka.topics.app-events=" + appEvents,
        "kafka.topics.attributions=" + out.attributions,
        "kafka.topics.attributed-events=" + out.attributedEvents,
        "kafka.topics.dead-letter=" + out.deadLetter,
        "kafka.max-offsets-per-trigger=" + perTrigger,
        "lake.root=" + out.lake,
        "lake.s3a.endpoint=" + config.s3Endpoint(),
        "lake.s3a.access-key=" + config.s3AccessKey,
        "lake.s3a.secret-key=" + config.s3SecretKey,
        "checkpoint=" + out.lake + "/_checkpoints/speed-layer",
        "rules-file=" + rules(),
        "spark.master=local[2]",
        "spark.sql.shuffle.partitions=4",
        "spark.ui.enabled=false",
        "spark.databricks.delta.snapshotPartitions=2",
        "spark.driver.host=127.0.0.1",
        "spark.driver.bindAddress=127.0.0.1");
  }

  /** One run's outputs: its topics, lake and ClickHouse database; the input topics are shared. */
  private final class Outputs {
    final String name;
    final String attributions;
    final String attributedEvents;
    final String deadLetter;
    final String lake;
    final String database;

    Outputs(String name) {
      this.name = name;
      attributions = topic(name + "-attributions");
      attributedEvents = topic(name + "-attributed-events");
      deadLetter = topic(name + "-dead-letter");
      lake = "s3a://" + bucket + "/" + id + "/" + name;
      database = "chaos_" + id.replace('-', '_') + "_" + name;
    }

    List<String> topics() {
      return List.of(attributions, attributedEvents, deadLetter);
    }
  }

  private String topic(String name) {
    return "chaos-" + id + "-" + name;
  }

  private Path logs() {
    return work.resolve("logs");
  }

  private Path rules() {
    return work.resolve("simulation").resolve(RulesOverlay.FILE);
  }

  private List<OutRecord> simulate() throws Exception {
    List<OutRecord> records = new ArrayList<>();
    SimulationParams params =
        SimulationParams.defaults()
            .withSeed(settings.seed())
            .withSize(settings.devices(), settings.days());
    new Simulator(params, OutputOptions.jsonl(work.resolve("simulation")), null)
        .run(
            new RecordSink() {
              @Override
              public void accept(OutRecord record, long position) {
                records.add(record);
              }

              @Override
              public void close() {}
            });
    return records;
  }

  private LocalDate historyStart() throws Exception {
    JsonNode start =
        ContractJson.mapper()
            .readTree(work.resolve("simulation").resolve(Simulator.MANIFEST_FILE).toFile())
            .at("/span/history_start");
    return start.isMissingNode()
        ? SimulationParams.DEFAULT_START_DATE
        : Instant.parse(start.asText()).atZone(ZoneOffset.UTC).toLocalDate();
  }

  private void createTopics(List<String> names) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap()))) {
      KafkaTopics.createAndAwait(
          admin,
          names.stream().map(n -> new NewTopic(n, config.kafkaPartitions, (short) 1)).toList(),
          Duration.ofSeconds(60));
    }
  }

  private void produce(List<OutRecord> records, String touchpoints, String appEvents)
      throws Exception {
    try (Producer<byte[], byte[]> producer =
        InputProducers.create(
            InputProducers.lossless(config.kafkaBootstrap(), "touchpoint-chaos-input", 5))) {
      List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
      for (OutRecord r : records) {
        String topic = r.topic().equals(Topics.TOUCHPOINTS) ? touchpoints : appEvents;
        acks.add(
            producer.send(
                new ProducerRecord<>(
                    topic, r.key().getBytes(StandardCharsets.UTF_8), r.payload())));
      }
      producer.flush();
      for (Future<RecordMetadata> f : acks) {
        f.get();
      }
    }
  }

  private Duration delay() {
    return Duration.ofMillis((long) (random.nextDouble() * settings.maxKillDelay().toMillis()));
  }

  /** Sleeps; false when the job ended meanwhile. */
  private static boolean sleepWhileAlive(ChildJob job, Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      if (!job.isAlive()) {
        return false;
      }
      Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
    }
    return job.isAlive();
  }

  private static String step(ChildJob job) {
    String last = job.lastProgress();
    return last.isEmpty() ? "before its first step finished" : "after '" + shortLine(last) + "'";
  }

  private static String shortLine(String line) {
    String l = line.strip();
    int q = l.indexOf("query=");
    if (q >= 0) {
      int end = l.indexOf(" rows=", q);
      l = l.substring(q, end > 0 ? end : l.length());
    }
    return l.length() > 120 ? l.substring(0, 120) : l;
  }

  private void tally(List<Tally> tally, String kind, int planned) {
    if (planned == 0) {
      return;
    }
    List<Fault> of = faults.stream().filter(f -> f.kind().equals(kind)).toList();
    tally.add(
        new Tally(
            kind,
            planned,
            (int) of.stream().filter(Fault::injected).count(),
            (int) of.stream().filter(Fault::recovered).count()));
  }

  private void compared(Comparison c) {
    comparisons.add(c);
    progress("%s", c);
  }

  private void progress(String format, Object... args) {
    log.printf(
        Locale.ROOT,
        "chaos %6.1f s: %s%n",
        secs(started),
        String.format(Locale.ROOT, format, args));
    log.flush();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
