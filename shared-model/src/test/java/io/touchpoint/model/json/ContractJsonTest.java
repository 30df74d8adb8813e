package io.touchpoint.model.json;

import static io.touchpoint.model.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
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
            "event_id",
            "event_type",
            "app_id",
            "event_time",
            "received_at",
            "device",
            "media_source",
            "campaign_id",
            "campaign",
            "adset",
            "ad",
            "site_id",
            "click_id",
            "retargeting",
            "cost_model",
            "cost_value",
            "cost_currency");
    assertThat(fieldNames(ContractJson.mapper().valueToTree(DEVICE)))
        .containsExactlyInAnyOrder(
            "advertising_id", "vendor_id", "ip", "user_agent", "platform", "os_version", "country");
    assertThat(fieldNames(ContractJson.mapper().valueToTree(ATTRIBUTION)))
        .contains(
            "attribution_id",
            "candidate_event_id",
            "ctit_seconds",
            "fraud_reasons",
            "re_engagement",
            "contributors")
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
            .replace(
                ContractJson.formatInstant(CLICK.eventTime()), "2026-11-20T11:00:00.987654+01:00");
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
    assertThatThrownBy(
            () -> ContractJson.fromJson("{\"event_time\": 1700000000}", Attribution.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ContractJson.fromJson("{\"ip\":\"a\",\"ip\":\"b\"}", Device.class))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Touchpoint withEventTime(Instant t) {
    return new Touchpoint(
        CLICK.eventId(),
        CLICK.eventType(),
        CLICK.appId(),
        t,
        CLICK.receivedAt(),
        CLICK.device(),
        CLICK.mediaSource(),
        CLICK.campaignId(),
        CLICK.campaign(),
        CLICK.adset(),
        CLICK.ad(),
        CLICK.siteId(),
        CLICK.clickId(),
        CLICK.retargeting(),
        CLICK.costModel(),
        CLICK.costValue(),
        CLICK.costCurrency());
  }

  private static TreeSet<String> fieldNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  /** The formatter parseInstant used alone before its UTC fast path: the reference. */
  private static final java.time.format.DateTimeFormatter RFC3339 =
      new java.time.format.DateTimeFormatterBuilder()
          .append(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter()
          .withResolverStyle(java.time.format.ResolverStyle.STRICT)
          .withChronology(java.time.chrono.IsoChronology.INSTANCE);

  @Test
  void parseInstantAgreesWithTheRfc3339FormatterOnEveryShape() {
    java.util.Random random = new java.util.Random(12);
    List<String> texts =
        new java.util.ArrayList<>(
            List.of(
                "2026-11-20T10:00:00Z",
                "2026-11-20T10:00:00.5Z",
                "2026-11-20T10:00:00.123456789Z",
                "2026-11-20T10:00:00.1234567891Z",
                "2026-11-20T10:00:00.Z",
                "2026-02-29T10:00:00Z",
                "2024-02-29T23:59:59.999Z",
                "2026-02-30T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-11-20T24:00:00Z",
                "2026-11-20T23:60:00Z",
                "2026-11-20T23:59:60Z",
                "2026-11-20t10:00:00Z",
                "2026-11-20T10:00:00z",
                "2026-11-20T10:00Z",
                "0000-01-01T00:00:00Z",
                "2026-1-20T10:00:00Z",
                "2026-11-20T10:00:00+01:00",
                "2026-11-20T10:00:00.5-03:30",
                "+12026-11-20T10:00:00Z",
                "2026-11-20 10:00:00Z",
                "2026-00-10T10:00:00Z",
                "2026-11-00T10:00:00Z",
                "2026-11-2aT10:00:00Z"));
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b =
          new StringBuilder(
              String.format(
                  "%04d-%02d-%02dT%02d:%02d:%02d",
                  random.nextInt(10_000),
                  random.nextInt(14),
                  random.nextInt(33),
                  random.nextInt(25),
                  random.nextInt(61),
                  random.nextInt(61)));
      int fraction = random.nextInt(11);
      if (fraction > 0) {
        b.append('.');
        for (int d = 1; d < fraction; d++) {
          b.append(random.nextInt(10));
        }
      }
      b.append(random.nextInt(8) == 0 ? "+02:00" : "Z");
      texts.add(b.toString());
    }
    for (String text : texts) {
      Object expected;
      try {
        expected =
            RFC3339.parse(text, Instant::from).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      } catch (java.time.DateTimeException e) {
        expected = e.getClass();
      }
      Object actual;
      try {
        actual = ContractJson.parseInstant(text);
      } catch (java.time.DateTimeException e) {
        actual = e.getClass();
      }
      assertThat(actual).as(text).isEqualTo(expected);
    }
  }
}
