package io.touchpoint.model.json;

import static io.touchpoint.model.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.Touchpoint;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ContractJsonTest {

  @Test
  void everyInboundEventRoundTripsThroughBytesAndStrings() {
    for (Event event : EVENTS) {
      assertThat(ContractJson.readEvent(ContractJson.toBytes(event))).isEqualTo(event);
      assertThat(ContractJson.fromJson(ContractJson.toJson(event), Event.class)).isEqualTo(event);
      assertThat(ContractJson.fromJson(ContractJson.toBytes(event), event.getClass()))
          .isEqualTo(event);
    }
  }

  @Test
  void outputRecordsRoundTrip() {
    for (Object value : List.of(ATTRIBUTION, ORGANIC, ATTRIBUTED_EVENT, CONTRIBUTOR, DEVICE)) {
      assertThat(ContractJson.fromJson(ContractJson.toBytes(value), value.getClass()))
          .isEqualTo(value);
    }
  }

  @Test
  void deadLetterRoundTripsWithTheRawPayloadAsBase64() {
    JsonNode json = ContractJson.mapper().valueToTree(DEAD_LETTER);
    assertThat(json.get("raw_payload").asText())
        .isEqualTo(Base64.getEncoder().encodeToString(DEAD_LETTER.rawPayload()));

    DeadLetter back = ContractJson.fromJson(ContractJson.toJson(DEAD_LETTER), DeadLetter.class);
    assertThat(back).usingRecursiveComparison().isEqualTo(DEAD_LETTER);
  }

  @Test
  void writesSnakeCaseNamesAndExactlyTheRecordComponents() {
    assertThat(fieldNames(ContractJson.mapper().valueToTree(CLICK)))
        .containsExactlyInAnyOrder(
            "event_id", "event_type", "app_id", "event_time", "received_at", "device",
            "media_source", "campaign_id", "campaign", "adset", "ad", "site_id", "click_id",
            "retargeting", "cost_model", "cost_value", "cost_currency");
    assertThat(fieldNames(ContractJson.mapper().valueToTree(DEVICE)))
        .containsExactlyInAnyOrder(
            "advertising_id", "vendor_id", "ip", "user_agent", "platform", "os_version", "country");
    assertThat(fieldNames(ContractJson.mapper().valueToTree(ATTRIBUTION)))
        .contains("attribution_id", "candidate_event_id", "ctit_seconds", "fraud_reasons",
            "re_engagement", "contributors")
        .doesNotContain("rejected");
  }

  @Test
  void writesEventTypeByWireNameAndOtherEnumsByName() {
    assertThat(ContractJson.mapper().valueToTree(PURCHASE).get("event_type").asText())
        .isEqualTo("in_app_event");
    JsonNode attribution = ContractJson.mapper().valueToTree(ATTRIBUTION);
    assertThat(attribution.get("kind").asText()).isEqualTo("INSTALL");
    assertThat(attribution.get("fraud_reasons").get(0).asText())
        .isEqualTo("CLICK_AFTER_INSTALL_BEGIN");
  }

  @Test
  void writesInstantsAsUtcWithExactlyMilliseconds() {
    Touchpoint whole = withEventTime(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(ContractJson.mapper().valueToTree(whole).get("event_time").asText())
        .isEqualTo("2026-11-20T10:00:00.000Z");
    Touchpoint nanos = withEventTime(Instant.parse("2026-11-20T10:00:00.123456789Z"));
    assertThat(ContractJson.mapper().valueToTree(nanos).get("event_time").asText())
        .isEqualTo("2026-11-20T10:00:00.123Z");
  }

  @Test
  void readsOffsetsAndTruncatesToMilliseconds() {
    String json =
        ContractJson.toJson(CLICK)
            .replace(ContractJson.formatInstant(CLICK.eventTime()), "2026-11-20T11:00:00.987654+01:00");
    assertThat(ContractJson.fromJson(json, Touchpoint.class).eventTime())
        .isEqualTo(Instant.parse("2026-11-20T10:00:00.987Z"));
  }

  @Test
  void omitsNullsAndIgnoresUnknownProperties() {
    JsonNode json = ContractJson.mapper().valueToTree(IMPRESSION);
    assertThat(json.has("click_id")).isFalse();
    assertThat(json.has("cost_value")).isFalse();

    String withExtra = ContractJson.toJson(IMPRESSION).replaceFirst("\\{", "{\"added_later\":1,");
    assertThat(ContractJson.fromJson(withExtra, Event.class)).isEqualTo(IMPRESSION);
  }

  @Test
  void rejectsInputThatIsNotContractJson() {
    assertThatThrownBy(() -> ContractJson.readEvent("{\"event_type\":\"purchase\"}".getBytes()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown event_type");
    assertThatThrownBy(() -> ContractJson.fromJson("{\"revenue\": NaN}", AttributedEvent.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContractJson.fromJson("{\"event_time\": 1700000000}", Attribution.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContractJson.fromJson("{\"ip\":\"a\",\"ip\":\"b\"}", Device.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Touchpoint withEventTime(Instant t) {
    return new Touchpoint(CLICK.eventId(), CLICK.eventType(), CLICK.appId(), t,
        CLICK.receivedAt(), CLICK.device(), CLICK.mediaSource(), CLICK.campaignId(),
        CLICK.campaign(), CLICK.adset(), CLICK.ad(), CLICK.siteId(), CLICK.clickId(),
        CLICK.retargeting(), CLICK.costModel(), CLICK.costValue(), CLICK.costCurrency());
  }

  private static TreeSet<String> fieldNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
