package io.touchpoint.model.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.model.EventType;
import io.touchpoint.model.json.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks an inbound payload against the wire contract (docs/contract.md) and binds it to its
 * record. Reports every violated rule, so one dead letter tells a producer all it must fix. Only
 * the byte-level checks (size, UTF-8, JSON syntax, top-level object) stop early: past them there is
 * nothing to inspect. Thread-safe.
 */
public final class EventValidator {

  private static final Pattern UUID =
      Pattern.compile(
          "\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");
  private static final Set<String> PLATFORMS = Set.of("ios", "android");
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(Collectors.toUnmodifiableSet());

  /** The detail of a MISSING_FIELD for fields every event of the type must carry. */
  private static final String REQUIRED = "required";

  /** Marks a field that may be absent. */
  private static final String OPTIONAL = null;

  private final ValidationPolicy policy;

  public EventValidator(ValidationPolicy policy) {
    this.policy = policy;
  }

  /**
   * @param payload the bytes as received; null (a Kafka tombstone) counts as empty
   * @param now the collector's clock, bounding {@code received_at}
   */
  public ValidationResult validate(byte[] payload, Instant now) {
    if (payload == null) {
      return rejected(ReasonCode.MALFORMED_JSON, "payload", "empty");
    }
    if (payload.length > policy.maxPayloadBytes()) {
      return rejected(
          ReasonCode.PAYLOAD_TOO_LARGE,
          "payload",
          payload.length + " bytes, limit " + policy.maxPayloadBytes());
    }
    // Plain ASCII (nearly every payload) is valid UTF-8 as it is: parsed from the bytes, without
    // decoding them into a String first (a copy, and Jackson's slower parser over chars). No NUL
    // either: Jackson would take zero bytes for UTF-16/32 and decode them as that.
    String text = null;
    if (!plainAscii(payload)) {
      ByteBuffer bytes = ByteBuffer.wrap(payload);
      try {
        text = StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
      } catch (CharacterCodingException e) {
        // the decoder stops at the first malformed sequence
        return rejected(
            ReasonCode.UNDECODABLE_BYTES, "payload", "not valid UTF-8 at byte " + bytes.position());
      }
    }
    JsonNode root;
    try {
      root =
          text == null
              ? ContractJson.mapper().readTree(payload)
              : ContractJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return rejected(ReasonCode.MALFORMED_JSON, "payload", e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array", e); // no I/O: cannot happen
    }
    if (root.isMissingNode()) {
      return rejected(ReasonCode.MALFORMED_JSON, "payload", "empty");
    }
    if (!root.isObject()) {
      return rejected(
          ReasonCode.WRONG_JSON_TYPE,
          "payload",
          "top level is " + root.getNodeType() + ", not an object");
    }
    List<Violation> violations = new Check(now).event(root);
    return violations.isEmpty()
        ? ValidationResult.valid(ContractJson.readEvent(root))
        : ValidationResult.invalid(violations);
  }

  /** True when every byte is an ASCII character other than NUL. */
  private static boolean plainAscii(byte[] payload) {
    for (byte b : payload) {
      if (b <= 0) {
        return false;
      }
    }
    return true;
  }

  /** "30d", "1h", "1h30m": readable in a dead letter, unlike PT720H. */
  private static String human(Duration d) {
    boolean wholeDays = !d.isZero() && d.equals(Duration.ofDays(d.toDays()));
    return wholeDays ? d.toDays() + "d" : d.toString().substring(2).toLowerCase(Locale.ROOT);
  }

  private static ValidationResult rejected(ReasonCode code, String field, String detail) {
    return ValidationResult.invalid(List.of(new Violation(code, field, detail)));
  }

  /** One payload's field checks; collects violations instead of stopping at the first. */
  private final class Check {
    private final Instant now;
    private final List<Violation> found = new ArrayList<>();

    Check(Instant now) {
      this.now = now;
    }

    List<Violation> event(JsonNode root) {
      String eventId = text(root, "", "event_id", REQUIRED);
      if (eventId != null && !UUID.matcher(eventId).matches()) {
        add(ReasonCode.BAD_UUID, "event_id", "not a UUID: " + eventId);
      }
      EventType type = eventType(root);
      text(root, "", "app_id", REQUIRED);
      Instant eventTime = timestamp(root, "", "event_time", REQUIRED);
      Instant receivedAt = timestamp(root, "", "received_at", REQUIRED);
      times(eventTime, receivedAt);
      JsonNode device = deviceObject(root);
      if (device != null) {
        device(device, type);
      }
      if (type != null) {
        switch (type) {
          case IMPRESSION, CLICK -> touch(root, type);
          case INSTALL -> {
            text(root, "", "referrer_click_id", OPTIONAL);
            timestamp(root, "", "install_begin_time", OPTIONAL);
            text(root, "", "sdk_version", OPTIONAL);
          }
          case SESSION -> text(root, "", "deep_link_click_id", OPTIONAL);
          case IN_APP_EVENT -> inAppEvent(root);
        }
      }
      return found;
    }

    private EventType eventType(JsonNode root) {
      String name = text(root, "", "event_type", REQUIRED);
      if (name == null) {
        return null;
      }
      EventType type = EventType.fromWire(name).orElse(null);
      if (type == null) {
        add(
            ReasonCode.UNKNOWN_EVENT_TYPE,
            "event_type",
            "not one of impression, click, install, " + "session, in_app_event: " + name);
      }
      return type;
    }

    private void times(Instant eventTime, Instant receivedAt) {
      Duration tolerance = policy.futureTolerance();
      if (receivedAt != null && receivedAt.isAfter(now.plus(tolerance))) {
        add(
            ReasonCode.TIMESTAMP_IN_FUTURE,
            "received_at",
            receivedAt + " is more than " + human(tolerance) + " after now " + now);
      }
      if (eventTime == null || receivedAt == null) {
        return;
      }
      if (eventTime.isAfter(receivedAt.plus(tolerance))) {
        add(
            ReasonCode.TIMESTAMP_IN_FUTURE,
            "event_time",
            eventTime + " is more than " + human(tolerance) + " after received_at " + receivedAt);
      }
      if (eventTime.isBefore(receivedAt.minus(policy.retention()))) {
        add(
            ReasonCode.TIMESTAMP_TOO_OLD,
            "event_time",
            eventTime
                + " is more than "
                + human(policy.retention())
                + " before received_at "
                + receivedAt);
      }
    }

    private void device(JsonNode device, EventType type) {
      String platform = text(device, "device.", "platform", REQUIRED);
      if (platform != null && !PLATFORMS.contains(platform)) {
        add(ReasonCode.UNKNOWN_PLATFORM, "device.platform", "not ios or android: " + platform);
      }
      String country = text(device, "device.", "country", OPTIONAL);
      if (country != null && !COUNTRIES.contains(country)) {
        add(ReasonCode.BAD_COUNTRY, "device.country", "not an ISO-3166 alpha-2 code: " + country);
      }
      text(device, "device.", "os_version", OPTIONAL);
      String advertisingId = text(device, "device.", "advertising_id", OPTIONAL);
      String vendorId = text(device, "device.", "vendor_id", OPTIONAL);
      String ip = text(device, "device.", "ip", OPTIONAL);
      String userAgent = text(device, "device.", "user_agent", OPTIONAL);
      if (type == null || advertisingId != null) {
        return;
      }
      // Touches come from ad networks, which never see the app-scoped vendor id; without an
      // advertising id they can only match probabilistically, on ip and user agent.
      if (type.isTouch() && (ip == null || userAgent == null)) {
        add(
            ReasonCode.NO_DEVICE_ID,
            "device",
            "a touch needs advertising_id, or ip and user_agent");
      }
      // App events are keyed by device (advertising id, else vendor id): one is needed.
      if (!type.isTouch() && vendorId == null) {
        add(ReasonCode.NO_DEVICE_ID, "device", "an app event needs advertising_id or vendor_id");
      }
    }

    private void touch(JsonNode root, EventType type) {
      text(root, "", "media_source", REQUIRED);
      text(root, "", "campaign_id", REQUIRED);
      text(root, "", "click_id", type == EventType.CLICK ? "required for a click" : OPTIONAL);
      for (String name : List.of("campaign", "adset", "ad", "site_id", "cost_model")) {
        text(root, "", name, OPTIONAL);
      }
      JsonNode retargeting = root.get("retargeting");
      if (present(retargeting) && !retargeting.isBoolean()) {
        wrongType("retargeting", "a boolean", retargeting);
      }
      Double cost = number(root, "cost_value");
      if (cost != null && !(Double.isFinite(cost) && cost >= 0)) {
        add(
            ReasonCode.BAD_COST,
            "cost_value",
            "not a finite number >= 0: " + root.get("cost_value"));
      }
      currency(root, "cost_currency", cost != null ? "required with cost_value" : OPTIONAL);
    }

    private void inAppEvent(JsonNode root) {
      text(root, "", "event_name", REQUIRED);
      Double revenue = number(root, "revenue");
      if (revenue != null && !Double.isFinite(revenue)) {
        add(ReasonCode.NON_FINITE_REVENUE, "revenue", "too large for a double");
      } else if (revenue != null && revenue < 0) {
        add(ReasonCode.NEGATIVE_REVENUE, "revenue", "below zero: " + revenue);
      }
      currency(root, "currency", revenue != null ? "required with revenue" : OPTIONAL);
    }

    private void currency(JsonNode root, String name, String requirement) {
      String code = text(root, "", name, requirement);
      if (code != null && !CURRENCIES.contains(code)) {
        add(ReasonCode.BAD_CURRENCY, name, "not an ISO-4217 currency code: " + code);
      }
    }

    /**
     * The non-blank string at {@code name}, or null when absent or reported.
     *
     * @param requirement null when optional, else the detail of its MISSING_FIELD
     */
    private String text(JsonNode parent, String prefix, String name, String requirement) {
      JsonNode value = parent.get(name);
      String field = prefix + name;
      if (!present(value)) {
        if (requirement != null) {
          add(ReasonCode.MISSING_FIELD, field, requirement);
        }
        return null;
      }
      if (!value.isTextual()) {
        wrongType(field, "a string", value);
        return null;
      }
      if (value.textValue().isBlank()) {
        add(ReasonCode.BLANK_FIELD, field, "empty or whitespace");
        return null;
      }
      return value.textValue();
    }

    private Instant timestamp(JsonNode parent, String prefix, String name, String requirement) {
      String text = text(parent, prefix, name, requirement);
      if (text == null) {
        return null;
      }
      try {
        return ContractJson.parseInstant(text);
      } catch (DateTimeException e) {
        add(
            ReasonCode.BAD_TIMESTAMP,
            prefix + name,
            "not an ISO-8601 date-time with offset: " + text);
        return null;
      }
    }

    private Double number(JsonNode parent, String name) {
      JsonNode value = parent.get(name);
      if (!present(value)) {
        return null;
      }
      if (!value.isNumber()) {
        wrongType(name, "a number", value);
        return null;
      }
      return value.doubleValue();
    }

    private JsonNode deviceObject(JsonNode root) {
      JsonNode value = root.get("device");
      if (!present(value)) {
        add(ReasonCode.MISSING_FIELD, "device", REQUIRED);
        return null;
      }
      if (!value.isObject()) {
        wrongType("device", "an object", value);
        return null;
      }
      return value;
    }

    /** A JSON null counts as absent: nulls are omitted on write, some producers send them. */
    private boolean present(JsonNode value) {
      return value != null && !value.isNull();
    }

    private void wrongType(String field, String expected, JsonNode value) {
      add(
          ReasonCode.WRONG_JSON_TYPE,
          field,
          "expected " + expected + ", got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
    }

    private void add(ReasonCode code, String field, String detail) {
      found.add(new Violation(code, field, detail));
    }
  }
}
