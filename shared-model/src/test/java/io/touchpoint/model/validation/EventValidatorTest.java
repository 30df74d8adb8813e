package io.touchpoint.model.validation;

import static io.touchpoint.model.validation.Payloads.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.validation.Payloads.Case;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventValidatorTest {

  private final EventValidator validator = new EventValidator(ValidationPolicy.load());

  static Stream<Case> validPayloads() {
    return Payloads.valid().stream();
  }

  static Stream<Case> invalidPayloads() {
    return Payloads.invalid().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validPayloads")
  void validPayloadPassesAndBindsToItsRecord(Case c) {
    ValidationResult result = validator.validate(c.payload(), NOW);

    assertThat(result.violations()).isEmpty();
    assertThat(result.event()).isEqualTo(ContractJson.readEvent(c.payload()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPayloads")
  void invalidPayloadReportsExactlyItsReasons(Case c) {
    ValidationResult result = validator.validate(c.payload(), NOW);

    assertThat(result.isValid()).isFalse();
    assertThat(result.event()).isNull();
    assertThat(codes(result)).isEqualTo(c.expected());
  }

  @Test
  void everyReasonCodeIsExercisedByARealPayload() {
    Set<ReasonCode> exercised =
        Payloads.invalid().stream()
            .flatMap(c -> c.expected().stream())
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ReasonCode.class)));
    assertThat(exercised).containsExactlyInAnyOrder(ReasonCode.values());
  }

  @Test
  void everyEventTypeHasAValidPayload() {
    Set<EventType> types =
        Payloads.valid().stream()
            .map(c -> validator.validate(c.payload(), NOW).event().eventType())
            .collect(Collectors.toSet());
    assertThat(types).containsExactlyInAnyOrder(EventType.values());
  }

  @Test
  void reportsEveryProblemWithItsField() {
    byte[] payload =
        Payloads.bytes(
            """
            {"event_id":"nope","event_type":"in_app_event","event_time":"yesterday",
             "received_at":"2026-11-20T10:00:00.123Z",
             "device":{"platform":"windows","country":"usa","vendor_id":""},
             "event_name":"  ","revenue":-1,"currency":"EURO"}
            """);

    assertThat(validator.validate(payload, NOW).violations())
        .extracting(Violation::code, Violation::field)
        .containsExactly(
            tuple(ReasonCode.BAD_UUID, "event_id"),
            tuple(ReasonCode.MISSING_FIELD, "app_id"),
            tuple(ReasonCode.BAD_TIMESTAMP, "event_time"),
            tuple(ReasonCode.UNKNOWN_PLATFORM, "device.platform"),
            tuple(ReasonCode.BAD_COUNTRY, "device.country"),
            tuple(ReasonCode.BLANK_FIELD, "device.vendor_id"),
            tuple(ReasonCode.NO_DEVICE_ID, "device"),
            tuple(ReasonCode.BLANK_FIELD, "event_name"),
            tuple(ReasonCode.NEGATIVE_REVENUE, "revenue"),
            tuple(ReasonCode.BAD_CURRENCY, "currency"));
  }

  @Test
  void aNullPayloadIsMalformed() {
    assertThat(codes(validator.validate(null, NOW))).containsExactly(ReasonCode.MALFORMED_JSON);
  }

  @Test
  void bindsTheValidatedValues() {
    InAppEvent event =
        (InAppEvent) validator.validate(Payloads.bytes(Payloads.PURCHASE), NOW).event();
    assertThat(event.revenue()).isEqualTo(9.99);
    assertThat(event.currency()).isEqualTo("USD");
    assertThat(event.device().deviceKey()).isEqualTo("vid:A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF");
  }

  @Test
  void asciiAndNonAsciiPayloadsAreParsedAlike() {
    // plain ASCII is parsed from its bytes, anything else after the UTF-8 decoder
    InAppEvent ascii =
        (InAppEvent) validator.validate(Payloads.bytes(Payloads.PURCHASE), NOW).event();
    String accentedJson = Payloads.PURCHASE.replace("\"purchase\"", "\"achat é\"");
    InAppEvent accented =
        (InAppEvent) validator.validate(Payloads.bytes(accentedJson), NOW).event();
    assertThat(ascii.eventName()).isEqualTo("purchase");
    assertThat(accented.eventName()).isEqualTo("achat é");
    assertThat(accented.revenue()).isEqualTo(ascii.revenue());

    byte[] truncated = Payloads.bytes("{\"event_id\":\"é");
    assertThat(codes(validator.validate(truncated, NOW)))
        .containsExactly(ReasonCode.MALFORMED_JSON);
  }

  @Test
  void zeroBytesAreNotReadAsUtf16() {
    // "{}" as UTF-16BE: a parser that guessed the encoding from the zero bytes would read it
    byte[] utf16 = {0, '{', 0, '}'};
    assertThat(codes(validator.validate(utf16, NOW))).containsExactly(ReasonCode.MALFORMED_JSON);
  }

  @Test
  void policyDefaultsComeFromValidationConf() {
    assertThat(ValidationPolicy.load())
        .isEqualTo(new ValidationPolicy(64 * 1024, Duration.ofHours(1), Duration.ofDays(30)));
  }

  @Test
  void policyIsReadFromAnyConfigAndRangeChecked() {
    var config =
        ConfigFactory.parseString("touchpoint.validation.max-payload-bytes = 1 MiB")
            .withFallback(ConfigFactory.parseResources("validation.conf"))
            .resolve();
    assertThat(ValidationPolicy.fromConfig(config).maxPayloadBytes()).isEqualTo(1 << 20);

    assertThatThrownBy(() -> new ValidationPolicy(0, Duration.ZERO, Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ValidationPolicy(1, Duration.ofHours(-1), Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void smallerPolicyRejectsWhatTheDefaultAccepts() {
    var strict = new EventValidator(new ValidationPolicy(100, Duration.ZERO, Duration.ofHours(1)));
    assertThat(codes(strict.validate(Payloads.bytes(Payloads.SESSION), NOW)))
        .containsExactly(ReasonCode.PAYLOAD_TOO_LARGE);
  }

  @Test
  void deadLetterKeepsTheBytesAndPairsCodesWithDetails() {
    byte[] raw = Payloads.bytes("{\"event_type\":\"purchase\"");
    List<Violation> violations = validator.validate(raw, NOW).violations();

    DeadLetter letter = DeadLetters.of(raw, violations, "app-events", 2, 99L, NOW);

    assertThat(letter.rawPayload()).isEqualTo(raw);
    assertThat(letter.reasonCodes()).containsExactly("MALFORMED_JSON");
    assertThat(letter.reasonDetails()).singleElement().asString().startsWith("payload: ");
    assertThat(letter.sourceTopic()).isEqualTo("app-events");
    assertThat(letter.sourcePartition()).isEqualTo(2);
    assertThat(letter.sourceOffset()).isEqualTo(99L);
    assertThat(letter.deadLetteredAt()).isEqualTo(NOW);
    assertThatThrownBy(() -> DeadLetters.of(raw, List.of(), "t", 0, 0L, NOW))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  private static Set<ReasonCode> codes(ValidationResult result) {
    return result.violations().stream()
        .map(Violation::code)
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(ReasonCode.class)));
  }
}
