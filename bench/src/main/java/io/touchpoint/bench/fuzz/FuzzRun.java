package io.touchpoint.bench.fuzz;

import io.touchpoint.bench.TopicContents;
import io.touchpoint.bench.fuzz.HostileRecords.Hostile;
import io.touchpoint.bench.fuzz.HostileRecords.Kind;
import io.touchpoint.local.KafkaTopics;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.Topics;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.validation.ValidationPolicy;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Hostile input through the speed layer: one simulated day of valid traffic goes into two sets of
 * topics, the second with hostile payloads ({@link HostileRecords}) mixed in at seeded positions;
 * the speed layer runs over each until caught up. Then: every hostile record must be in the
 * dead-letter topic and the quarantine table (by its source position) with a reason code, no valid
 * one there, and the verdicts and credited events on the output topics must be those of the run
 * without hostile input, record for record.
 */
public final class FuzzRun {

  /** What to run. {@code megabyteEvery}: one ~900 KB payload per that many hostile records. */
  public record Settings(
      int devices, int days, int hostile, int megabyteEvery, long seed, int partitions) {}

  /** Where the embedded stack is, and a fresh bucket for the two runs' lakes. */
  public record Stack(
      String bootstrap, String s3Endpoint, String accessKey, String secretKey, String bucket) {}

  /** The outcome; {@link #holds()} is the acceptance. */
  public record Result(
      int validRecords,
      int hostileRecords,
      Map<String, Integer> hostileByKind,
      Map<String, Integer> deadLettersByReason,
      int hostileInDeadLetterTopic,
      int hostileInQuarantine,
      List<String> missingFromDeadLetters,
      List<String> missingFromQuarantine,
      int validInDeadLetters,
      int deadLettersWithoutReason,
      int referenceVerdicts,
      int fuzzVerdicts,
      int verdictsDiffering,
      int referenceCredited,
      int fuzzCredited,
      int creditedDiffering,
      List<String> differences,
      int referenceExit,
      int fuzzExit,
      double referenceSeconds,
      double fuzzSeconds) {

    public boolean holds() {
      return referenceExit == 0
          && fuzzExit == 0
          && hostileInDeadLetterTopic == hostileRecords
          && hostileInQuarantine == hostileRecords
          && validInDeadLetters == 0
          && deadLettersWithoutReason == 0
          && verdictsDiffering == 0
          && creditedDiffering == 0
          && referenceVerdicts > 0
          && fuzzVerdicts == referenceVerdicts
          && fuzzCredited == referenceCredited;
    }
  }

  /** A megabyte string: below the broker's 1 MiB message limit once wrapped in its event. */
  static final int MEGABYTE_STRING_BYTES = 900_000;

  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(30);

  private final Stack stack;
  private final Settings settings;
  private final PrintStream log;
  private final String runId = UUID.randomUUID().toString().substring(0, 8);

  public FuzzRun(Stack stack, Settings settings, PrintStream log) {
    this.stack = stack;
    this.settings = settings;
    this.log = log;
  }

  public Result run(SparkSession spark, Path workDir) throws Exception {
    long t0 = System.nanoTime();
    List<OutRecord> valid = simulate(workDir);
    Path rules = workDir.resolve(RulesOverlay.FILE);
    List<HostileRecords.Template> templates = new ArrayList<>();
    for (OutRecord r : valid.subList(0, Math.min(2000, valid.size()))) {
      templates.add(new HostileRecords.Template(r.topic(), r.payload()));
    }
    List<Hostile> hostile =
        new HostileRecords(
                settings.seed(),
                templates,
                ValidationPolicy.load().maxPayloadBytes(),
                MEGABYTE_STRING_BYTES)
            .generate(settings.hostile(), settings.megabyteEvery());
    log.printf(
        "fuzz: %d valid records (%d devices x %d days), %d hostile %s (%.1f s)%n",
        valid.size(),
        settings.devices(),
        settings.days(),
        hostile.size(),
        HostileRecords.countByKind(hostile),
        secs(t0));

    Topics ref = new Topics("ref");
    Topics fuzz = new Topics("fuzz");
    createTopics(ref, fuzz);
    produce(ref, valid, List.of());
    Set<String> hostilePositions = produce(fuzz, valid, hostile);
    log.printf("fuzz: produced (%.1f s)%n", secs(t0));

    long r0 = System.nanoTime();
    int refExit = StreamingJob.run(spark, config(ref, rules), StreamingJob.RunOptions.caughtUp());
    double refSeconds = secs(r0);
    log.printf("fuzz: reference run exit %d in %.1f s%n", refExit, refSeconds);
    long f0 = System.nanoTime();
    StreamingConfig fuzzConfig = config(fuzz, rules);
    int fuzzExit = StreamingJob.run(spark, fuzzConfig, StreamingJob.RunOptions.caughtUp());
    double fuzzSeconds = secs(f0);
    log.printf("fuzz: run with hostile input exit %d in %.1f s%n", fuzzExit, fuzzSeconds);

    // dead letters: the topic and the quarantine table, by source position
    Map<String, DeadLetter> deadTopic = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : read(fuzz.deadLetter)) {
      DeadLetter d = ContractJson.fromJson(r.value(), DeadLetter.class);
      deadTopic.put(position(d.sourceTopic(), d.sourcePartition(), d.sourceOffset()), d);
    }
    Map<String, Integer> byReason = new TreeMap<>();
    int withoutReason = 0;
    for (DeadLetter d : deadTopic.values()) {
      if (d.reasonCodes().isEmpty()) {
        withoutReason++;
      }
      d.reasonCodes().forEach(c -> byReason.merge(c, 1, Integer::sum));
    }
    Map<String, List<String>> quarantine = new HashMap<>();
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(fuzzConfig.table(LakeTables.QUARANTINE))
            .select("source_topic", "source_partition", "source_offset", "reason_codes")
            .collectAsList()) {
      quarantine.put(position(r.getString(0), r.getInt(1), r.getLong(2)), r.getList(3));
    }
    withoutReason += (int) quarantine.values().stream().filter(List::isEmpty).count();
    List<String> missingDead =
        hostilePositions.stream().filter(p -> !deadTopic.containsKey(p)).sorted().toList();
    List<String> missingQuarantine =
        hostilePositions.stream().filter(p -> !quarantine.containsKey(p)).sorted().toList();
    Set<String> extra = new HashSet<>(deadTopic.keySet());
    extra.addAll(quarantine.keySet());
    extra.removeAll(hostilePositions);
    extra.addAll(read(ref.deadLetter).stream().map(r -> "ref:" + r.offset()).toList());

    // the valid traffic's outcome, record for record
    Map<String, String> refVerdicts = latestByKey(read(ref.attributions));
    Map<String, String> fuzzVerdicts = latestByKey(read(fuzz.attributions));
    Map<String, String> refCredited = latestByKey(read(ref.attributedEvents));
    Map<String, String> fuzzCredited = latestByKey(read(fuzz.attributedEvents));

    Result result =
        new Result(
            valid.size(),
            hostile.size(),
            names(HostileRecords.countByKind(hostile)),
            byReason,
            (int) hostilePositions.stream().filter(deadTopic::containsKey).count(),
            (int) hostilePositions.stream().filter(quarantine::containsKey).count(),
            missingDead.subList(0, Math.min(20, missingDead.size())),
            missingQuarantine.subList(0, Math.min(20, missingQuarantine.size())),
            extra.size(),
            withoutReason,
            refVerdicts.size(),
            fuzzVerdicts.size(),
            differing(refVerdicts, fuzzVerdicts),
            refCredited.size(),
            fuzzCredited.size(),
            differing(refCredited, fuzzCredited),
            examples(refVerdicts, fuzzVerdicts, refCredited, fuzzCredited),
            refExit,
            fuzzExit,
            refSeconds,
            fuzzSeconds);
    log.printf(
        "fuzz: hostile %d -> dead-letter topic %d, quarantine %d; verdicts %d/%d (%d differ), credited "
            + "events %d/%d (%d differ); reasons %s (%.1f s in all)%n",
        result.hostileRecords(),
        result.hostileInDeadLetterTopic(),
        result.hostileInQuarantine(),
        result.fuzzVerdicts(),
        result.referenceVerdicts(),
        result.verdictsDiffering(),
        result.fuzzCredited(),
        result.referenceCredited(),
        result.creditedDiffering(),
        byReason,
        secs(t0));
    return result;
  }

  private List<OutRecord> simulate(Path dir) throws Exception {
    List<OutRecord> records = new ArrayList<>();
    SimulationParams params =
        SimulationParams.defaults()
            .withSize(settings.devices(), settings.days())
            .withShares(
                0, SimulationParams.DEFAULT_LATE_SHARE, SimulationParams.DEFAULT_DUPLICATE_SHARE);
    new Simulator(params, OutputOptions.jsonl(dir), null)
        .run(
            new RecordSink() {
              @Override
              public void accept(OutRecord record, long position) {
                if (!record.isMalformed()) {
                  records.add(record);
                }
              }

              @Override
              public void close() {}
            });
    return records;
  }

  /** One run's topic names. */
  private final class Topics {
    final String touchpoints;
    final String appEvents;
    final String attributions;
    final String attributedEvents;
    final String deadLetter;

    Topics(String name) {
      String p = "fuzz-" + runId + "-" + name + "-";
      touchpoints = p + "touchpoints";
      appEvents = p + "app-events";
      attributions = p + "attributions";
      attributedEvents = p + "attributed-events";
      deadLetter = p + "dead-letter";
    }

    List<String> all() {
      return List.of(touchpoints, appEvents, attributions, attributedEvents, deadLetter);
    }

    String input(String contractTopic) {
      return contractTopic.equals(io.touchpoint.model.Topics.TOUCHPOINTS) ? touchpoints : appEvents;
    }
  }

  private void createTopics(Topics... sets) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrap()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (Topics t : sets) {
        t.all().forEach(name -> topics.add(new NewTopic(name, settings.partitions(), (short) 1)));
      }
      KafkaTopics.createAndAwait(admin, topics, TOPIC_TIMEOUT);
    }
  }

  /**
   * The valid records in order, with the hostile ones inserted at seeded positions; returns the
   * hostile records' source positions.
   */
  private Set<String> produce(Topics topics, List<OutRecord> valid, List<Hostile> hostile)
      throws Exception {
    Random random = new Random(settings.seed() * 31 + 7);
    List<Object> order = new ArrayList<>(valid);
    for (Hostile h : hostile) {
      order.add(random.nextInt(order.size() + 1), h);
    }
    List<Future<RecordMetadata>> validAcks = new ArrayList<>();
    List<Future<RecordMetadata>> hostileAcks = new ArrayList<>();
    try (Producer<byte[], byte[]> producer =
        InputProducers.create(
            InputProducers.lossless(stack.bootstrap(), "touchpoint-fuzz-input", 5))) {
      for (Object o : order) {
        if (o instanceof OutRecord r) {
          validAcks.add(
              producer.send(
                  new ProducerRecord<>(
                      topics.input(r.topic()),
                      r.key().getBytes(StandardCharsets.UTF_8),
                      r.payload())));
        } else {
          Hostile h = (Hostile) o;
          hostileAcks.add(
              producer.send(new ProducerRecord<>(topics.input(h.topic()), h.key(), h.value())));
        }
      }
      producer.flush();
      // a record the broker did not take would make the two runs' inputs differ: fail here
      for (Future<RecordMetadata> f : validAcks) {
        f.get();
      }
      Set<String> positions = new HashSet<>();
      for (Future<RecordMetadata> f : hostileAcks) {
        RecordMetadata m = f.get();
        positions.add(position(m.topic(), m.partition(), m.offset()));
      }
      return positions;
    }
  }

  private StreamingConfig config(Topics t, Path rules) {
    String lake =
        "s3a://"
            + stack.bucket()
            + "/"
            + runId
            + "/"
            + (t.touchpoints.contains("-ref-") ? "ref" : "fuzz");
    return StreamingConfig.load(
        null,
        List.of(
            "app-name=fuzz-" + runId,
            "kafka.bootstrap-servers=" + stack.bootstrap(),
            "kafka.topics.touchpoints=" + t.touchpoints,
            "kafka.topics.app-events=" + t.appEvents,
            "kafka.topics.attributions=" + t.attributions,
            "kafka.topics.attributed-events=" + t.attributedEvents,
            "kafka.topics.dead-letter=" + t.deadLetter,
            "kafka.max-offsets-per-trigger=0",
            "lake.root=" + lake,
            "lake.s3a.endpoint=" + stack.s3Endpoint(),
            "lake.s3a.access-key=" + stack.accessKey(),
            "lake.s3a.secret-key=" + stack.secretKey(),
            "checkpoint=" + lake + "/_checkpoints/speed-layer",
            "rules-file=" + rules));
  }

  private List<ConsumerRecord<byte[], byte[]>> read(String topic) {
    return TopicContents.read(stack.bootstrap(), topic);
  }

  /**
   * The last value per key (the topics are at least once: a replay writes the same value again).
   */
  private static Map<String, String> latestByKey(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<String, String> m = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      m.put(
          new String(r.key(), StandardCharsets.UTF_8),
          new String(r.value(), StandardCharsets.UTF_8));
    }
    return m;
  }

  private static int differing(Map<String, String> reference, Map<String, String> got) {
    Set<String> keys = new HashSet<>(reference.keySet());
    keys.addAll(got.keySet());
    return (int)
        keys.stream().filter(k -> !java.util.Objects.equals(reference.get(k), got.get(k))).count();
  }

  /** Up to 10 differing keys with both values, for the results file. */
  private static List<String> examples(
      Map<String, String> refVerdicts,
      Map<String, String> fuzzVerdicts,
      Map<String, String> refCredited,
      Map<String, String> fuzzCredited) {
    List<String> out = new ArrayList<>();
    addDifferences(out, "attributions", refVerdicts, fuzzVerdicts);
    addDifferences(out, "attributed-events", refCredited, fuzzCredited);
    return out;
  }

  private static void addDifferences(
      List<String> out, String topic, Map<String, String> reference, Map<String, String> got) {
    Set<String> keys = new java.util.TreeSet<>(reference.keySet());
    keys.addAll(got.keySet());
    for (String k : keys) {
      if (!java.util.Objects.equals(reference.get(k), got.get(k)) && out.size() < 10) {
        out.add(
            topic
                + " "
                + k
                + ": without hostile input "
                + reference.get(k)
                + " | with "
                + got.get(k));
      }
    }
  }

  private static String position(String topic, Integer partition, Long offset) {
    return topic + "/" + partition + "/" + offset;
  }

  private static Map<String, Integer> names(Map<Kind, Integer> byKind) {
    Map<String, Integer> m = new java.util.LinkedHashMap<>();
    byKind.forEach((k, v) -> m.put(k.name(), v));
    return m;
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }
}
