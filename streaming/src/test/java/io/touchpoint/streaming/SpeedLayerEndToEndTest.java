package io.touchpoint.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.EventsAfterReinstall;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.Topics;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.truth.MalformedTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import io.touchpoint.streaming.sink.BatchTimeHeader;
import io.touchpoint.streaming.sink.ReplayMark;
import io.touchpoint.streaming.sink.SpeedTablesWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance on the real stack (Kafka + S3Proxy through s3a): a simulated scenario with 1%
 * malformed, 2% late and 1% duplicated records is produced into Kafka in chunks of consecutive
 * arrivals; after each chunk the job runs until caught up (so it also restarts from its checkpoint
 * every time). Then the speed tables and topics are compared with the simulator's ground truth.
 */
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpeedLayerEndToEndTest {
  static final int DEVICES = 1500;
  static final int DAYS = 2;
  static final int CHUNKS = 3;

  SparkSession spark;
  StackFixture fx;
  SimulatedRun sim;
  StreamingConfig config;
  Map<String, Attribution> speedByCandidate = new HashMap<>();
  List<Attribution> speedRows = new ArrayList<>();

  @BeforeAll
  void runTheStream(StackHandle stack, @TempDir Path simDir) throws Exception {
    sim =
        SimulatedRun.simulate(
            simDir,
            SimulationParams.defaults().withSize(DEVICES, DAYS).withShares(0.01, 0.02, 0.01));
    spark = StackFixture.spark(stack);
    fx = new StackFixture(stack, "e2e");
    List<String> conf = fx.overrides("e2e", sim.rulesOverlay().toString());
    // small lake tasks, so the ingest query's reads are split within Kafka partitions and the
    // bronze tables get one file per read task (at the defaults' rows per task only a load of
    // thousands of records per second does): still every record in bronze once
    conf.add("ingest.rows-per-task=1500");
    config = StreamingConfig.load(null, conf);
    boolean first = true;
    for (List<OutRecord> chunk : sim.chunks(CHUNKS)) {
      SimulatedRun.produce(stack.kafkaBootstrap(), fx.topicMap(), chunk);
      assertThat(StreamingJob.run(spark, config, StreamingJob.RunOptions.caughtUp())).isZero();
      if (first) {
        // the first run's outputs written to the topics again, as by an attribution batch replayed
        // after a crash: the speed tables must still hold each id once
        fx.rewrite(fx.readTopic(fx.attributions));
        fx.rewrite(fx.readTopic(fx.attributedEvents));
        first = false;
      }
    }
    for (Row r :
        spark
            .read()
            .format("delta")
            .load(config.table(LakeTables.SPEED_ATTRIBUTIONS))
            .collectAsList()) {
      Attribution a = ContractRows.attribution(r);
      speedRows.add(a);
      speedByCandidate.put(a.candidateEventId(), a);
    }
  }

  @AfterAll
  void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Installs whose winning touch and prior install arrived before them, flooding excluded. */
  private List<TruthRecord> comparable(Map<String, Integer> excluded) {
    List<TruthRecord> keep = new ArrayList<>();
    for (TruthRecord t : sim.truth) {
      Event candidate = sim.events.get(t.candidateEventId());
      String why = null;
      if (t.fraudReasons().contains(FraudReason.CLICK_FLOODING_SITE)) {
        why = "click flooding (a batch-only, whole-day signal)";
      } else if (t.lateInputs()) {
        why = "late input";
      } else if (arrivedAfter(t.touchEventId(), candidate)) {
        why = "winning touch received after the candidate";
      } else if (arrivedAfter(t.priorInstallEventId(), candidate)) {
        why = "prior install received after the candidate";
      }
      if (why == null) {
        keep.add(t);
      } else {
        excluded.merge(why, 1, Integer::sum);
      }
    }
    return keep;
  }

  private boolean arrivedAfter(String eventId, Event candidate) {
    if (eventId == null) {
      return false;
    }
    Event e = sim.events.get(eventId);
    return e == null || e.receivedAt().isAfter(candidate.receivedAt());
  }

  @Test
  void speedTableAgreesWithTheGroundTruthForOnTimeInstalls() {
    Map<String, Integer> excluded = new TreeMap<>();
    List<TruthRecord> comparable = comparable(excluded);
    System.out.printf(
        "truth=%d comparable=%d excluded=%s%n", sim.truth.size(), comparable.size(), excluded);
    assertThat(comparable.size()).isGreaterThan(sim.truth.size() * 3 / 4);
    List<String> mismatches = new ArrayList<>();
    for (TruthRecord t : comparable) {
      Attribution a = speedByCandidate.get(t.candidateEventId());
      if (a == null) {
        mismatches.add("no verdict for " + t);
        continue;
      }
      List<String> diffs = diff(t, a);
      if (!diffs.isEmpty()) {
        mismatches.add(t.scenario() + " " + t.candidateEventId() + ": " + diffs);
      }
    }
    assertThat(mismatches).as("speed verdicts that differ from the truth").isEmpty();
  }

  static List<String> diff(TruthRecord t, Attribution a) {
    List<String> d = new ArrayList<>();
    check(d, "kind", t.kind(), a.kind());
    check(d, "outcome", t.outcome(), a.outcome());
    check(d, "app_id", t.appId(), a.appId());
    check(d, "device_key", t.deviceKey(), a.deviceKey());
    check(d, "event_time", t.eventTime(), a.eventTime());
    check(d, "media_source", t.mediaSource(), a.mediaSource());
    check(d, "campaign_id", t.campaignId(), a.campaignId());
    check(d, "site_id", t.siteId(), a.siteId());
    check(d, "match_type", t.matchType(), a.matchType());
    check(d, "touch_type", t.touchType(), a.touchType());
    check(d, "touch_event_id", t.touchEventId(), a.touchEventId());
    check(d, "touch_time", t.touchTime(), a.touchTime());
    check(d, "ctit_seconds", t.ctitSeconds(), a.ctitSeconds());
    check(d, "fraud_reasons", new HashSet<>(t.fraudReasons()), new HashSet<>(a.fraudReasons()));
    check(d, "re_engagement", t.reEngagement(), a.reEngagement());
    return d;
  }

  private static void check(List<String> diffs, String field, Object truth, Object speed) {
    if (!Objects.equals(truth, speed)) {
      diffs.add(field + " truth=" + truth + " speed=" + speed);
    }
  }

  @Test
  void everyCandidateHasExactlyOneVerdictInTheTableAndTheTopic() {
    Set<String> candidates =
        sim.truth.stream().map(TruthRecord::candidateEventId).collect(Collectors.toSet());
    assertThat(speedRows).hasSize(speedByCandidate.size()); // no duplicate verdicts
    assertThat(speedByCandidate.keySet()).isEqualTo(candidates);

    List<ConsumerRecord<byte[], byte[]>> topic = fx.readTopic(fx.attributions);
    Map<String, Attribution> byKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : topic) {
      Attribution a = io.touchpoint.model.json.ContractJson.fromJson(r.value(), Attribution.class);
      assertThat(new String(r.key())).isEqualTo(a.attributionId());
      assertThat(r.headers().lastHeader(BatchTimeHeader.NAME))
          .as("the attribution batch's time, what the speed tables de-duplicate over")
          .isNotNull();
      Attribution before = byKey.putIfAbsent(a.attributionId(), a);
      assertThat(before == null || before.equals(a)).as("replayed verdicts are identical").isTrue();
    }
    Map<String, Attribution> tableById =
        speedRows.stream().collect(Collectors.toMap(Attribution::attributionId, a -> a));
    assertThat(byKey).isEqualTo(tableById);
  }

  /**
   * The upgrade step after a state change: the attribution query on a new checkpoint, from the
   * topics' beginning, sends every verdict again with new batch times (here the speed-tables state
   * has forgotten the ids too, as after its own new checkpoint). Those copies must not become
   * second rows: the job marks the replay and the writer merges older rows by id. Tables and
   * checkpoints of their own on local disk, fed with this run's real topic records.
   */
  @Test
  void aReplayFromTheTopicsBeginningAddsNoSecondCopy(@TempDir Path dir) throws Exception {
    StreamingConfig replay =
        StreamingConfig.load(
            null,
            List.of(
                "lake.root=" + dir.resolve("lake").toUri(),
                "checkpoint=" + dir.resolve("checkpoints/attribution").toUri()));
    // the first time each id once (as the query's de-duplication hands them over); the replay
    // sends every record of the topic, the copies of the setup's re-write included
    List<Row> sent = new ArrayList<>();
    List<Row> firstTime = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : fx.readTopic(fx.attributions)) {
      Row row = RowFactory.create(replay.attributionsTopic, r.value());
      sent.add(row);
      if (keys.add(new String(r.key()))) {
        firstTime.add(row);
      }
    }
    assertThat(sent).as("the topic holds copies").hasSizeGreaterThan(firstTime.size());
    StructType topicRows =
        new StructType()
            .add("topic", DataTypes.StringType, false)
            .add("value", DataTypes.BinaryType, false);
    Set<String> ids =
        new HashSet<>(speedByCandidate.values().stream().map(Attribution::attributionId).toList());
    Instant now = Instant.now();

    assertThat(ReplayMark.establish(spark, replay, now))
        .as("no speed table yet: no mark")
        .isEmpty();
    new SpeedTablesWriter(replay, null).call(spark.createDataFrame(firstTime, topicRows), 0L);

    Instant mark = ReplayMark.establish(spark, replay, now).orElseThrow();
    assertThat(mark).isAfter(now);
    new SpeedTablesWriter(replay, mark).call(spark.createDataFrame(sent, topicRows), 1L);

    List<String> rows =
        spark
            .read()
            .format("delta")
            .load(replay.table(LakeTables.SPEED_ATTRIBUTIONS))
            .select("attribution_id")
            .as(Encoders.STRING())
            .collectAsList();
    assertThat(rows).hasSize(ids.size()).doesNotHaveDuplicates();
    assertThat(new HashSet<>(rows)).isEqualTo(ids);

    // once the new checkpoint has committed a batch, a restart keeps the mark it wrote
    Files.createDirectories(dir.resolve("checkpoints/attribution/commits"));
    Files.writeString(dir.resolve("checkpoints/attribution/commits/0"), "v1");
    assertThat(ReplayMark.establish(spark, replay, now.plusSeconds(60))).contains(mark);
  }

  @Test
  void malformedRecordsAreDeadLetteredWithTheirReasons() {
    assertThat(sim.malformed).isNotEmpty();
    List<DeadLetter> quarantine =
        spark
            .read()
            .format("delta")
            .load(config.table(LakeTables.QUARANTINE))
            .collectAsList()
            .stream()
            .map(ContractRows::deadLetter)
            .toList();
    List<DeadLetter> topic = StackFixture.values(fx.readTopic(fx.deadLetter), DeadLetter.class);
    assertThat(quarantine).hasSize(sim.malformed.size());
    assertEveryMalformedIsIn(quarantine);
    // the topic may hold replays (at least once), never fewer
    assertEveryMalformedIsIn(topic);
    assertThat(
            topic.stream()
                .map(d -> d.sourceTopic() + "/" + d.sourcePartition() + "/" + d.sourceOffset())
                .distinct()
                .count())
        .isEqualTo(sim.malformed.size());
    for (DeadLetter d : quarantine) {
      assertThat(d.reasonCodes()).isNotEmpty();
      assertThat(d.reasonDetails()).hasSameSizeAs(d.reasonCodes());
      assertThat(d.sourceTopic()).isIn(fx.touchpoints, fx.appEvents);
    }
  }

  private void assertEveryMalformedIsIn(List<DeadLetter> letters) {
    Map<String, List<DeadLetter>> byPayload = new HashMap<>();
    for (DeadLetter d : letters) {
      byPayload
          .computeIfAbsent(
              Base64.getEncoder().encodeToString(d.rawPayload()), k -> new ArrayList<>())
          .add(d);
    }
    List<String> missing = new ArrayList<>();
    for (MalformedTruth m : sim.malformed) {
      List<DeadLetter> found = byPayload.getOrDefault(m.payloadBase64(), List.of());
      if (found.stream().noneMatch(d -> d.reasonCodes().contains(m.reasonCode()))) {
        missing.add(
            m.kind()
                + " expected "
                + m.reasonCode()
                + " got "
                + found.stream().map(DeadLetter::reasonCodes).toList());
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void everyValidEventIsInBronzeAndEveryInAppEventIsCreditedOnce() {
    long touches = 0;
    long appEvents = 0;
    for (OutRecord r : sim.records) {
      if (!r.isMalformed()) {
        if (Topics.TOUCHPOINTS.equals(r.topic())) {
          touches++;
        } else {
          appEvents++;
        }
      }
    }
    assertThat(
            spark.read().format("delta").load(config.table(LakeTables.BRONZE_TOUCHPOINTS)).count())
        .isEqualTo(touches);
    assertThat(
            spark.read().format("delta").load(config.table(LakeTables.BRONZE_APP_EVENTS)).count())
        .isEqualTo(appEvents);

    Set<String> inApp =
        sim.events.values().stream()
            .filter(e -> e instanceof InAppEvent)
            .map(Event::eventId)
            .collect(Collectors.toSet());
    List<AttributedEvent> table =
        spark
            .read()
            .format("delta")
            .load(config.table(LakeTables.SPEED_ATTRIBUTED_EVENTS))
            .collectAsList()
            .stream()
            .map(ContractRows::attributedEvent)
            .toList();
    assertThat(table).hasSize(inApp.size());
    assertThat(table.stream().map(AttributedEvent::eventId).collect(Collectors.toSet()))
        .isEqualTo(inApp);
    long credited = table.stream().filter(e -> e.mediaSource() != null).count();
    System.out.printf(
        "in-app events=%d credited to a source=%d with an install verdict=%d%n",
        table.size(), credited, table.stream().filter(e -> e.installOutcome() != null).count());

    List<AttributedEvent> topic =
        StackFixture.values(fx.readTopic(fx.attributedEvents), AttributedEvent.class);
    assertThat(topic.stream().map(AttributedEvent::eventId).collect(Collectors.toSet()))
        .isEqualTo(inApp);
    assertThat(new HashSet<>(topic)).isEqualTo(new HashSet<>(table));
  }

  @Test
  void inAppEventsCarryTheirInstallsSpeedVerdict() {
    // crediting is EventCrediting's: check the wiring, i.e. the install verdict the event names
    // is the device's latest install verdict the stream had when the event arrived
    Map<String, Attribution> byId =
        speedRows.stream().collect(Collectors.toMap(Attribution::attributionId, a -> a));
    List<AttributedEvent> table =
        spark
            .read()
            .format("delta")
            .load(config.table(LakeTables.SPEED_ATTRIBUTED_EVENTS))
            .collectAsList()
            .stream()
            .map(ContractRows::attributedEvent)
            .toList();
    RulesConfig rules = RulesConfig.load(sim.rulesOverlay());
    int checked = 0;
    for (AttributedEvent e : table) {
      if (e.installAttributionId() != null) {
        Attribution install = byId.get(e.installAttributionId());
        assertThat(install).isNotNull();
        assertThat(install.deviceKey()).isEqualTo(e.deviceKey());
        assertThat(install.eventTime()).isBeforeOrEqualTo(e.eventTime());
        assertThat(e.installOutcome()).isEqualTo(install.outcome());
        // after a not-credited reinstall: the original source, or organic where the app says so
        boolean organicAfterReinstall =
            rules.rulesFor(e.appId()).eventsAfterReinstall() == EventsAfterReinstall.ORGANIC;
        if (install.kind() == AttributionKind.REINSTALL) {
          assertThat(organicAfterReinstall)
              .as("event %s credited through a reinstall", e.eventId())
              .isTrue();
          assertThat(e.mediaSource()).isNull();
        }
        checked++;
      }
    }
    assertThat(checked).isPositive();
  }
}
