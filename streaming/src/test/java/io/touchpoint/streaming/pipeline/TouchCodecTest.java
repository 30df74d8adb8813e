package io.touchpoint.streaming.pipeline;

import static io.touchpoint.streaming.TestEvents.LAT_PHONE;
import static io.touchpoint.streaming.TestEvents.PHONE;
import static io.touchpoint.streaming.TestEvents.T;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Device;
import io.touchpoint.model.EventType;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.streaming.TestEvents;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TouchCodecTest {
  /** A bench touch as the simulator writes it (a click with every field the contract has). */
  static final String BENCH_CLICK =
      "{\"event_id\":\"d3094e83-afa0-4b31-9bc7-73b44a1a3b51\",\"event_type\":\"click\","
          + "\"app_id\":\"com.touchpoint.shopsy\",\"event_time\":\"2025-10-31T22:39:10.059Z\","
          + "\"received_at\":\"2025-10-31T22:39:11.148Z\",\"device\":{\"advertising_id\":"
          + "\"372edc51-5a19-449f-b7a8-abc87b04be71\",\"ip\":\"177.8.221.60\",\"user_agent\":"
          + "\"Mozilla/5.0 (Linux; Android 15; SM-S911B Build/AP3A.240905.015) AppleWebKit/537.36"
          + " (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36\",\"platform\":"
          + "\"android\",\"os_version\":\"15\",\"country\":\"BR\"},\"media_source\":"
          + "\"pixelreach_int\",\"campaign_id\":\"pixelreach_int.shopsy_android.ua1\",\"campaign\":"
          + "\"Shopsy UA Broad\",\"adset\":\"broad_35_plus\",\"ad\":\"playable_v2\",\"site_id\":"
          + "\"pxr_site_12\",\"click_id\":\"915fa5a1-790d-4f4d-b000-a390fc12e384\","
          + "\"retargeting\":false,\"cost_model\":\"cpc\",\"cost_value\":0.15,"
          + "\"cost_currency\":\"USD\"}";

  static List<Touchpoint> touches() {
    List<Touchpoint> all = new ArrayList<>();
    all.add(ContractJson.fromJson(BENCH_CLICK.getBytes(StandardCharsets.UTF_8), Touchpoint.class));
    all.add(TestEvents.click(PHONE, "clk-1", T));
    all.add(TestEvents.impression(LAT_PHONE, T.minusSeconds(3600)));
    // every optional value absent, a device of nulls
    all.add(
        new Touchpoint(
            "id-0",
            EventType.IMPRESSION,
            "app",
            T,
            T,
            new Device(null, null, null, null, null, null, null),
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null));
    // no device; nanoseconds, times before 1970; non-ASCII, a surrogate pair, a lone surrogate;
    // a cost of -0.0; a string longer than 64 k
    all.add(
        new Touchpoint(
            "id-\u00e9",
            EventType.CLICK,
            "app-\u4e2d\u6587",
            Instant.ofEpochSecond(-86_400 * 400L, 123_456_789),
            Instant.ofEpochSecond(1_790_000_000L, 999_999_999),
            null,
            "m\ud83d\ude00s",
            "c\ud800",
            "x".repeat(70_000),
            "",
            "\u007f\u0080\u00ff\u0100",
            "site",
            "clk",
            true,
            "cpi",
            -0.0,
            "EUR"));
    return all;
  }

  @Test
  void everyValueRoundTrips() {
    for (Touchpoint t : touches()) {
      byte[] encoded = TouchCodec.encode(t);
      assertThat(encoded[0]).isEqualTo(TouchCodec.FORMAT);
      Touchpoint back = TouchCodec.decode(encoded);
      assertThat(back).isEqualTo(t);
      if (t.costValue() != null) {
        assertThat(Double.doubleToRawLongBits(back.costValue()))
            .isEqualTo(Double.doubleToRawLongBits(t.costValue()));
      }
    }
  }

  @Test
  void aBenchTouchIsDecodedAsItsJsonIsBoundAndCarriesFewerBytes() {
    byte[] json = BENCH_CLICK.getBytes(StandardCharsets.UTF_8);
    Touchpoint bound = ContractJson.fromJson(json, Touchpoint.class);
    byte[] encoded = TouchCodec.encode(bound);
    assertThat(TouchCodec.decode(encoded)).isEqualTo(bound);
    assertThat(encoded.length).isLessThan(json.length * 2 / 3);
  }

  @Test
  void stateWrittenAsJsonBeforeIsReadToo() {
    for (Touchpoint t : touches()) {
      byte[] json = ContractJson.toBytes(t);
      assertThat(TouchCodec.decode(json)).isEqualTo(ContractJson.fromJson(json, Touchpoint.class));
    }
  }

  @Test
  void aListMixesBothFormsInOrder() {
    List<Touchpoint> in = touches();
    TouchCodec.ListWriter list = new TouchCodec.ListWriter();
    for (int i = 0; i < in.size(); i++) {
      Touchpoint t = in.get(i);
      list.add(i % 2 == 0 ? TouchCodec.encode(t) : ContractJson.toBytes(t));
    }
    assertThat(list.count()).isEqualTo(in.size());
    List<Touchpoint> out = new ArrayList<>();
    TouchCodec.forEach(list.bytes(), out::add);
    List<Touchpoint> expected = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      Touchpoint t = in.get(i);
      expected.add(
          i % 2 == 0 ? t : ContractJson.fromJson(ContractJson.toBytes(t), Touchpoint.class));
    }
    assertThat(out).isEqualTo(expected);
  }
}
