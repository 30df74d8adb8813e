package io.touchpoint.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.InMemoryAttributor;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.spark.ContractRows;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The batch and shared-model's {@link InMemoryAttributor} fed the same awkward inputs give the same
 * verdicts and credited events, field by field: clicks and installs without a user agent,
 * limited-ad-tracking devices (all-zero and blank advertising ids, matched by referrer or
 * probabilistically), touches at the very instant of the install, two touches of one instant, two
 * installs of one device at one instant, a reinstall, deep-linked sessions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttributionDriftTest {
  private static final String APP = "drift-app";
  private static final LocalDate EARLIER = LocalDate.of(2026, 3, 8);
  private static final LocalDate DAY = EARLIER.plusDays(2);
  private static final String IPHONE =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15";
  private static final String IPHONE_APP =
      "DriftApp/3.1 (iPhone; iOS 17.4; Scale/3.00) CFNetwork/1494 Darwin/23.4.0 iPhone OS 17_4";
  private static final String ANDROID =
      "Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/UQ1A) AppleWebKit/537.36";

  private final List<Event> events = new ArrayList<>();
  private SparkSession spark;
  private Path dir;
  private List<Attribution> batchVerdicts;
  private List<AttributedEvent> batchEvents;
  private InMemoryAttributor.Result reference;
  private ByteArrayOutputStream exactPlanLog;
  private ByteArrayOutputStream layoutPlanLog;
  private ByteArrayOutputStream nestedPlanLog;
  private List<Attribution> nestedPlanVerdicts;
  private List<AttributedEvent> nestedPlanEvents;
  private List<Attribution> shufflePlanVerdicts;
  private List<AttributedEvent> shufflePlanEvents;

  @BeforeAll
  void runBoth() {
    scenario();
    spark = TestLake.spark();
    dir = TestLake.tempDir("batch-drift");
    String lake = dir.resolve("lake").toString();
    List<ScenarioData.Delivery> deliveries = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      deliveries.add(new ScenarioData.Delivery(events.get(i), 0, i));
    }
    TestLake.appendBronze(spark, lake, deliveries);
    // compaction lays the touches out by walk-key bucket (every day in all 32 buckets, however
    // small), the attribute step reads them so; then D (the day of the awkward cases) is
    // attributed again with the shuffle plan (exact touch filter)
    layoutPlanLog = new ByteArrayOutputStream();
    BatchJob.run(
        spark,
        BatchConfig.load(Map.of("lake", lake, "walk-bucket-input", "0")),
        EARLIER,
        DAY,
        EnumSet.of(Step.COMPACT, Step.ATTRIBUTE),
        new PrintStream(layoutPlanLog, true));
    System.out.print(layoutPlanLog);
    Lake l = new Lake(spark, lake);
    batchVerdicts = verdicts(l);
    batchEvents = creditedEvents(l);

    // D compacted again with its bucket count sized to it (one bucket, one file per
    // de-duplication task): the horizon's 32-bucket days and D are merged in one bucket
    nestedPlanLog = new ByteArrayOutputStream();
    BatchJob.run(
        spark,
        BatchConfig.load(Map.of("lake", lake)),
        DAY,
        DAY,
        EnumSet.of(Step.COMPACT, Step.ATTRIBUTE),
        new PrintStream(nestedPlanLog, true));
    System.out.print(nestedPlanLog);
    nestedPlanVerdicts = verdicts(l);
    nestedPlanEvents = creditedEvents(l);

    exactPlanLog = new ByteArrayOutputStream();
    BatchJob.run(
        spark,
        BatchConfig.load(Map.of("lake", lake, "attribute.read-by-bucket", "false")),
        DAY,
        DAY,
        EnumSet.of(Step.ATTRIBUTE),
        new PrintStream(exactPlanLog, true));
    System.out.print(exactPlanLog);
    shufflePlanVerdicts = verdicts(l);
    shufflePlanEvents = creditedEvents(l);
    InMemoryAttributor attributor = new InMemoryAttributor(RulesConfig.defaults());
    attributor.addAll(events);
    reference = attributor.run();
  }

  private static List<Attribution> verdicts(Lake l) {
    return l.read(LakeTables.SILVER_ATTRIBUTIONS).collectAsList().stream()
        .map(ContractRows::attribution)
        .sorted(Comparator.comparing(Attribution::candidateEventId))
        .toList();
  }

  private static List<AttributedEvent> creditedEvents(Lake l) {
    return l.read(LakeTables.SILVER_ATTRIBUTED_EVENTS).collectAsList().stream()
        .map(ContractRows::attributedEvent)
        .sorted(Comparator.comparing(AttributedEvent::eventId))
        .toList();
  }

  @AfterAll
  void stop() {
    spark.stop();
    TestLake.delete(dir);
  }

  @Test
  void verdictsAreTheReferencesFieldByField() {
    List<Attribution> expected =
        reference.attributions().stream()
            .sorted(Comparator.comparing(Attribution::candidateEventId))
            .toList();
    assertThat(batchVerdicts)
        .extracting(Attribution::candidateEventId)
        .containsExactlyElementsOf(expected.stream().map(Attribution::candidateEventId).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(batchVerdicts.get(i))
          .as(expected.get(i).candidateEventId())
          .isEqualTo(expected.get(i));
    }
  }

  @Test
  void creditedEventsAreTheReferences() {
    List<AttributedEvent> expected =
        reference.attributedEvents().stream()
            .sorted(Comparator.comparing(AttributedEvent::eventId))
            .toList();
    assertThat(batchEvents).isEqualTo(expected);
  }

  @Test
  void theAwkwardCasesReachTheRules() {
    Map<String, Attribution> v =
        batchVerdicts.stream()
            .collect(Collectors.toMap(Attribution::candidateEventId, Function.identity()));
    assertThat(v.get("i-lat-probabilistic").matchType()).isEqualTo(MatchType.PROBABILISTIC);
    assertThat(v.get("i-lat-referrer").matchType()).isEqualTo(MatchType.REFERRER);
    assertThat(v.get("i-click-without-ua").outcome()).isEqualTo(Outcome.ORGANIC);
    assertThat(v.get("i-install-without-ua").outcome()).isEqualTo(Outcome.ORGANIC);
    assertThat(v.get("i-same-instant").touchEventId()).isIn("t-tie-a", "t-tie-b");
    assertThat(v.get("i-twin-b").kind()).isEqualTo(AttributionKind.INSTALL);
    assertThat(v.get("i-reinstall").kind()).isEqualTo(AttributionKind.RE_ATTRIBUTION);
    assertThat(v.get("s-deep-link").kind()).isEqualTo(AttributionKind.RE_ENGAGEMENT);
    assertThat(v.get("s-lat-deep-link").matchType()).isEqualTo(MatchType.REFERRER);
    assertThat(v.get("i-old-imp").touchEventId()).isEqualTo("t-old-click");
    assertThat(v.get("i-two-early").touchEventId()).isEqualTo("t-two-imp");
    assertThat(v.get("i-two-late").touchEventId()).isNull();
    assertThat(batchEvents).isNotEmpty();
  }

  @Test
  void theLayoutPlanAndTheShufflePlanGiveTheSameVerdicts() {
    // the first run read the touches by walk-key bucket (no touch shuffle), the second shuffled
    // them after the exact key/time filter: the same verdicts and credited events, field by field
    assertThat(layoutPlanLog.toString())
        .contains(
            "walk-key buckets per day: 32 (",
            "one-bucket files merged in 32 bucket(s), no touch shuffle");
    assertThat(exactPlanLog.toString())
        .contains("not read by bucket: attribute.read-by-bucket = false");
    assertThat(shufflePlanVerdicts).isNotEmpty().isEqualTo(batchVerdicts);
    assertThat(shufflePlanEvents).isEqualTo(batchEvents);
  }

  @Test
  void daysOfDifferentBucketCountsAreMergedToTheSameVerdicts() {
    assertThat(nestedPlanLog.toString())
        .contains(
            "walk-key buckets per day: 1 (1 day), one file per de-duplication task",
            "one-bucket files merged in 1 bucket(s), no touch shuffle");
    assertThat(nestedPlanVerdicts).isNotEmpty().isEqualTo(batchVerdicts);
    assertThat(nestedPlanEvents).isEqualTo(batchEvents);
  }

  @Test
  void theExactTouchFilterRan() {
    // the two touches only the exact filter drops reached silver, and the verdicts above are
    // the reference's with them dropped before the walk (BatchPipelineTest runs the Bloom plan)
    assertThat(exactPlanLog.toString()).contains("touches kept by exact key/time filter");
    assertThat(
            new Lake(spark, dir.resolve("lake").toString())
                .read(LakeTables.SILVER_TOUCHPOINTS)
                .where("event_id IN ('t-beyond-horizon', 't-after-install')")
                .count())
        .isEqualTo(2);
  }

  // ------------------------------------------------------------------------------------ inputs

  private void scenario() {
    Instant t = DAY.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(12));
    Instant e = EARLIER.atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(9));

    // a LAT iPhone (all-zero id) matched by IP + UA family to a click without id
    Device lat =
        new Device(
            Device.ZERO_ADVERTISING_ID, "v-lat-1", "10.0.0.1", IPHONE_APP, "ios", "17.4", "US");
    click(
        "t-lat-prob",
        t.minus(Duration.ofHours(2)),
        new Device(null, null, "10.0.0.1", IPHONE, "ios", null, null),
        "netA",
        "site-1",
        "c-lat-prob",
        false);
    install("i-lat-probabilistic", t, lat, null);
    inApp("e-lat", t.plus(Duration.ofHours(1)), lat);

    // a click without a user agent never matches probabilistically; nor does an install without one
    click(
        "t-no-ua",
        t.minus(Duration.ofHours(1)),
        new Device(null, null, "10.0.0.2", null, "android", null, null),
        "netA",
        "site-1",
        "c-no-ua",
        false);
    install(
        "i-click-without-ua",
        t,
        new Device("", "v-lat-2", "10.0.0.2", ANDROID, "android", "14", "DE"),
        null);
    click(
        "t-ua",
        t.minus(Duration.ofHours(1)),
        new Device(null, null, "10.0.0.3", ANDROID, "android", null, null),
        "netB",
        "site-2",
        "c-ua",
        false);
    install(
        "i-install-without-ua",
        t,
        new Device(null, "v-lat-3", "10.0.0.3", null, "android", "14", "DE"),
        null);

    // a LAT device through the store referrer; the click carried another device's id
    click(
        "t-ref",
        t.minus(Duration.ofHours(30)),
        device("a-other"),
        "netC",
        "site-3",
        "c-ref",
        false);
    impression("t-ref-imp", t.minus(Duration.ofHours(3)), device("a-other"), "netB");
    install(
        "i-lat-referrer",
        t.plus(Duration.ofMinutes(5)),
        new Device(
            Device.ZERO_ADVERTISING_ID, "v-lat-4", "10.0.0.4", ANDROID, "android", "14", "FR"),
        "c-ref");

    // touches of one instant, and one at the install's very instant (never counts)
    Device same = device("a-same");
    click("t-tie-a", t.minus(Duration.ofHours(2)), same, "netA", "site-1", "c-tie-a", false);
    click("t-tie-b", t.minus(Duration.ofHours(2)), same, "netB", "site-2", "c-tie-b", false);
    click("t-at-install", t, same, "netC", "site-3", "c-at-install", false);
    // read by the batch (its touch window starts a horizon before D; it arrives late, so the
    // compaction of EARLIER brings it to silver) but older than the horizon before the install,
    // and a click after it: the exact touch filter drops both before the walk, the Bloom filter not
    Instant beyondHorizon = t.minus(RulesConfig.defaults().longestTouchWindow()).minusSeconds(1);
    click("t-beyond-horizon", beyondHorizon, same, "netD", "site-4", "c-beyond", false);
    arrivedAt(e);
    click("t-after-install", t.plus(Duration.ofHours(3)), same, "netD", "site-4", "c-after", false);
    install("i-same-instant", t, same, null);

    // two installs of one device at one instant: the second's previous install is not before it
    Device twin = device("a-twin");
    impression("t-twin", t.minus(Duration.ofHours(5)), twin, "netB");
    install("i-twin-a", t.plus(Duration.ofHours(1)), twin, null);
    install("i-twin-b", t.plus(Duration.ofHours(1)), twin, null);

    // a reinstall two days after the first install, won by a retargeting click
    Device again = device("a-again");
    click("t-first", e.minus(Duration.ofHours(3)), again, "netA", "site-1", "c-first", false);
    install("i-first", e, again, null);
    click("t-retarget", t.minus(Duration.ofHours(4)), again, "netD", "site-4", "c-retarget", true);
    install("i-reinstall", t, again, null);
    inApp("e-again", t.plus(Duration.ofHours(2)), again);

    // an impression older than its view-through window is skipped unread by the bucket walk: the
    // older click (within its click lookback) wins; of a device's two installs on D, the earlier
    // one still counts an impression the later one is too late for
    Device old = device("a-old-imp");
    impression("t-old-imp", t.minus(Duration.ofHours(30)), old, "netB");
    click("t-old-click", t.minus(Duration.ofHours(50)), old, "netA", "site-1", "c-old", false);
    install("i-old-imp", t, old, null);
    Device two = device("a-two-installs");
    impression("t-two-imp", t.minus(Duration.ofHours(28)), two, "netB");
    install("i-two-early", t.minus(Duration.ofHours(6)), two, null);
    install("i-two-late", t, two, null);

    // deep-linked sessions: a device with an id, and a LAT one (vendor id only)
    click("t-dl", t.minus(Duration.ofMinutes(30)), device("a-dl"), "netD", "site-4", "c-dl", true);
    session("s-deep-link", t, device("a-dl"), "c-dl");
    click(
        "t-lat-dl",
        t.minus(Duration.ofMinutes(20)),
        new Device(null, null, "10.0.0.9", ANDROID, "android", null, null),
        "netD",
        "site-4",
        "c-lat-dl",
        true);
    session(
        "s-lat-deep-link",
        t,
        new Device(null, "v-lat-5", "10.0.0.9", ANDROID, "android", "14", "US"),
        "c-lat-dl");
  }

  private static Device device(String aid) {
    return new Device(aid, "v-" + aid, "192.168.1.1", ANDROID, "android", "14", "US");
  }

  private void click(
      String id,
      Instant at,
      Device d,
      String source,
      String site,
      String clickId,
      boolean retargeting) {
    events.add(
        new Touchpoint(
            id,
            EventType.CLICK,
            APP,
            at,
            at.plusSeconds(5),
            d,
            source,
            "camp-" + source,
            null,
            null,
            null,
            site,
            clickId,
            retargeting,
            null,
            null,
            null));
  }

  /** The last touch added arrives at {@code received}. */
  private void arrivedAt(Instant received) {
    events.add(ScenarioData.withReceivedAt(events.remove(events.size() - 1), received));
  }

  private void impression(String id, Instant at, Device d, String source) {
    events.add(
        new Touchpoint(
            id,
            EventType.IMPRESSION,
            APP,
            at,
            at.plusSeconds(5),
            d,
            source,
            "camp-" + source,
            null,
            null,
            null,
            "site-imp",
            null,
            false,
            null,
            null,
            null));
  }

  private void install(String id, Instant at, Device d, String referrerClickId) {
    events.add(
        new Install(
            id, EventType.INSTALL, APP, at, at.plusSeconds(30), d, referrerClickId, null, "5.0"));
  }

  private void session(String id, Instant at, Device d, String deepLinkClickId) {
    events.add(new Session(id, EventType.SESSION, APP, at, at.plusSeconds(30), d, deepLinkClickId));
  }

  private void inApp(String id, Instant at, Device d) {
    events.add(
        new InAppEvent(
            id, EventType.IN_APP_EVENT, APP, at, at.plusSeconds(30), d, "purchase", 4.99, "USD"));
  }
}
