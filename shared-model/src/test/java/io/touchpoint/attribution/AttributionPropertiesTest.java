package io.touchpoint.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Install;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of the rules over random touch histories. */
class AttributionPropertiesTest {
  private static final Instant T = Scenario.T;
  private static final AppRules RULES = AppRules.defaults();
  private static final String AD_ID = Scenario.AD_ID;
  private static final Device DEVICE =
      new Device(AD_ID, "v", Scenario.IP, Scenario.APP_UA, "ios", "17.2", "US");

  @Provide
  Arbitrary<Touchpoint> touches() {
    Arbitrary<EventType> type = Arbitraries.of(EventType.CLICK, EventType.IMPRESSION);
    Arbitrary<String> source = Arbitraries.of("a", "b", "c", "d", "e");
    Arbitrary<Long> secondsBefore = Arbitraries.longs().between(-3_600, 10 * 86_400);
    Arbitrary<Integer> identity =
        Arbitraries.integers()
            .between(0, 3); // 0 = device id, 1 = anonymous, 2 = referrer, 3 = other device
    Arbitrary<Boolean> retargeting = Arbitraries.of(false, false, false, true);
    Arbitrary<Long> id = Arbitraries.longs().between(1, Long.MAX_VALUE);
    return Combinators.combine(type, source, secondsBefore, identity, retargeting, id)
        .as((t, s, before, who, rt, n) -> touch(t, s, before, who, rt, n));
  }

  private static Touchpoint touch(
      EventType type, String source, long secondsBefore, int who, boolean rt, long n) {
    String adId =
        switch (who) {
          case 0, 2 -> AD_ID;
          case 1 -> null;
          default -> "ffffffff-0000-4000-8000-000000000009";
        };
    Instant time = T.minusSeconds(secondsBefore);
    String clickId = type == EventType.CLICK ? (who == 2 ? "ref" : "c" + n) : null;
    Device d = new Device(adId, null, Scenario.IP, Scenario.BROWSER_UA, "ios", "17.2", "US");
    return new Touchpoint(
        new UUID(7, n).toString(),
        type,
        Scenario.APP,
        time,
        time,
        d,
        source,
        source + "-c",
        source,
        "s",
        "ad",
        source + "-site",
        clickId,
        rt,
        null,
        null,
        null);
  }

  private static Attribution attribute(List<Touchpoint> touches, Instant prior) {
    Install install =
        new Install(
            "11111111-0000-4000-8000-000000000001",
            EventType.INSTALL,
            Scenario.APP,
            T,
            T,
            DEVICE,
            "ref",
            T.minusSeconds(120),
            "1");
    return AttributionEngine.attribute(Candidate.of(install), touches, prior, RULES);
  }

  @Property(tries = 300)
  void inputOrderNeverChangesTheVerdict(
      @ForAll("histories") List<Touchpoint> touches,
      @ForAll long seed,
      @ForAll("priors") Instant prior) {
    List<Touchpoint> shuffled = new ArrayList<>(touches);
    Collections.shuffle(shuffled, new Random(seed));
    assertThat(attribute(shuffled, prior)).isEqualTo(attribute(touches, prior));
  }

  @Property(tries = 300)
  void aTouchOutsideEveryWindowNeverChangesTheVerdict(
      @ForAll("histories") List<Touchpoint> touches,
      @ForAll("outsideEveryWindow") Touchpoint outside,
      @ForAll("priors") Instant prior) {
    List<Touchpoint> more = new ArrayList<>(touches);
    more.add(outside);
    assertThat(attribute(more, prior)).isEqualTo(attribute(touches, prior));
  }

  @Property(tries = 300)
  void anOlderTouchOfTheSameClassNeverDisplacesANewerOne(
      @ForAll("histories") List<Touchpoint> touches,
      @ForAll @IntRange(min = 1, max = 100_000) int olderBy,
      @ForAll("priors") Instant prior) {
    Attribution before = attribute(touches, prior);
    if (before.touchEventId() == null) {
      return;
    }
    Touchpoint winner =
        touches.stream()
            .filter(t -> t.eventId().equals(before.touchEventId()))
            .findFirst()
            .orElseThrow();
    Touchpoint older =
        new Touchpoint(
            new UUID(9, olderBy).toString(),
            winner.eventType(),
            winner.appId(),
            winner.eventTime().minusSeconds(olderBy),
            winner.receivedAt(),
            winner.device(),
            "older-source",
            "x",
            "x",
            "x",
            "x",
            "older-site",
            winner.clickId(),
            winner.retargeting(),
            null,
            null,
            null);
    List<Touchpoint> more = new ArrayList<>(touches);
    more.add(older);
    assertThat(attribute(more, prior).touchEventId()).isEqualTo(before.touchEventId());
  }

  @Property(tries = 200)
  void theWinnerAlwaysPrecedesTheInstallInsideItsWindow(
      @ForAll("histories") List<Touchpoint> touches, @ForAll("priors") Instant prior) {
    Attribution a = attribute(touches, prior);
    if (a.touchTime() != null) {
      Duration age = Duration.between(a.touchTime(), T);
      assertThat(age).isPositive().isLessThanOrEqualTo(RULES.clickLookback());
      assertThat(a.contributors())
          .hasSizeLessThanOrEqualTo(3)
          .allSatisfy(c -> assertThat(c.mediaSource()).isNotEqualTo(a.mediaSource()));
    }
  }

  @Provide
  Arbitrary<List<Touchpoint>> histories() {
    return touches().list().ofMaxSize(12).uniqueElements(Touchpoint::eventId);
  }

  @Provide
  Arbitrary<Instant> priors() {
    return Arbitraries.of(null, T.minus(Duration.ofDays(30)), T.minus(Duration.ofDays(200)));
  }

  @Provide
  Arbitrary<Touchpoint> outsideEveryWindow() {
    Arbitrary<Long> tooOld = Arbitraries.longs().between(7 * 86_400 + 1, 60 * 86_400);
    Arbitrary<Long> afterInstall = Arbitraries.longs().between(-86_400, 0);
    return Combinators.combine(
            Arbitraries.of(EventType.CLICK, EventType.IMPRESSION),
            Arbitraries.oneOf(tooOld, afterInstall),
            Arbitraries.of(0, 1, 2),
            Arbitraries.of(true, false),
            Arbitraries.longs().between(1, Long.MAX_VALUE))
        .as((type, before, who, rt, n) -> touch(type, "outside", before, who, rt, n));
  }
}
