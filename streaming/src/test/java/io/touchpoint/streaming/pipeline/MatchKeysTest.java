package io.touchpoint.streaming.pipeline;

import static io.touchpoint.streaming.TestEvents.LAT_PHONE;
import static io.touchpoint.streaming.TestEvents.PHONE;
import static io.touchpoint.streaming.TestEvents.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.attribution.Candidate;
import io.touchpoint.attribution.MatchKeys;
import io.touchpoint.model.Device;
import io.touchpoint.streaming.TestEvents;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MatchKeysTest {

  @Test
  void aTouchIsHeldUnderEveryKeyItCanMatchBy() {
    assertThat(MatchKeys.forTouch(TestEvents.click(PHONE, "c1", T)))
        .containsExactly("A|com.example.game|" + PHONE.advertisingId(), "C|com.example.game|c1");
    assertThat(MatchKeys.forTouch(TestEvents.click(LAT_PHONE, "c2", T)))
        .containsExactly("C|com.example.game|c2", "P|com.example.game|203.0.113.8|iPhone|17");
    assertThat(MatchKeys.forTouch(TestEvents.impression(PHONE, T)))
        .containsExactly("A|com.example.game|" + PHONE.advertisingId());
    // an impression without an advertising id can never match: no key, bronze only
    assertThat(MatchKeys.forTouch(TestEvents.impression(LAT_PHONE, T))).isEmpty();
    Device zeroId =
        new Device(
            Device.ZERO_ADVERTISING_ID, null, "203.0.113.9", PHONE.userAgent(), "ios", null, null);
    assertThat(MatchKeys.forTouch(TestEvents.click(zeroId, null, T)))
        .containsExactly("P|com.example.game|203.0.113.9|iPhone|17");
  }

  @Test
  void aCandidateAsksEveryKeyAMatchingTouchCouldBeHeldUnder() {
    Candidate install = Candidate.of(TestEvents.install(PHONE, "c1", T));
    assertThat(MatchKeys.forCandidate(install, true))
        .containsExactly(
            "A|com.example.game|" + PHONE.advertisingId(),
            "C|com.example.game|c1",
            "P|com.example.game|203.0.113.7|iPhone|17");
    assertThat(MatchKeys.forCandidate(install, false)).hasSize(2);
    Candidate session = Candidate.of(TestEvents.session(LAT_PHONE, "dl-9", T));
    assertThat(MatchKeys.forCandidate(session, true))
        .containsExactly("C|com.example.game|dl-9", "P|com.example.game|203.0.113.8|iPhone|17");
  }

  @Test
  void everyTouchThatMatchesACandidateSharesAKeyWithIt() {
    // the UA strings differ (browser vs app) but the family is the same
    Device appSide =
        new Device(
            null,
            "V-1",
            "198.51.100.4",
            "MyGame/3.2 (iPhone; CPU iPhone OS 17_4 like Mac OS X) build/77",
            "ios",
            "17.4",
            "US");
    Device browserSide =
        new Device(
            null,
            null,
            "198.51.100.4",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari",
            "ios",
            null,
            null);
    Set<String> touchKeys =
        new HashSet<>(MatchKeys.forTouch(TestEvents.click(browserSide, "x", T)));
    touchKeys.retainAll(
        MatchKeys.forCandidate(
            Candidate.of(TestEvents.install(appSide, null, T.plusSeconds(60))), true));
    assertThat(touchKeys).containsExactly("P|com.example.game|198.51.100.4|iPhone|17");
  }

  @Test
  void theDeviceKeyIsPerAppAndDevice() {
    assertThat(MatchKeys.device("app.a", PHONE)).isEqualTo("D|app.a|aid:" + PHONE.advertisingId());
    assertThat(MatchKeys.device("app.a", LAT_PHONE))
        .isEqualTo("D|app.a|vid:" + LAT_PHONE.vendorId());
  }
}
