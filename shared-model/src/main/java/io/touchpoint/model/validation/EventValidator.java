package io.touchpoint.model.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import io.touchpoint.model.json.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks an inbound payload against the wire contract (docs/contract.md) and binds it to its
 * record. Reports every violated rule, so one dead letter tells a producer all it must fix. Only
 * the byte-level checks (size, UTF-8, JSON syntax, top-level object) stop early: past them there is
 * nothing to inspect. Thread-safe.
 */
public final class EventValidator {

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
    Members root;
    try (JsonParser parser =
        text == null
            ? ContractJson.mapper().createParser(payload)
            : ContractJson.mapper().createParser(text)) {
      root = Members.readRoot(parser);
    } catch (JsonProcessingException e) {
      root = null;
    } catch (IOException e) {
      throw new UncheckedIOException("reading a byte array", e); // no I/O: cannot happen
    }
    if (root == null) {
      return rejectedAsTree(payload, text);
    }
    Check check = new Check(now);
    List<Violation> violations = check.event(root);
    return violations.isEmpty()
        ? ValidationResult.valid(check.bind(root))
        : ValidationResult.invalid(violations);
  }

  /**
   * The rejection of a payload that is not one JSON object (malformed, empty, another type,
   * trailing tokens), worded by Jackson's tree reader exactly as before the single-pass reading:
   * rare, so its cost does not matter.
   */
  private static ValidationResult rejectedAsTree(byte[] payload, String text) {
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
    // the single pass refuses nothing the tree reader accepts; if it ever did, say so
    throw new IllegalStateException("an object the single-pass reader refused: " + root);
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

  /** 8-4-4-4-12 hex digits, as {@code \\p{XDigit}} (ASCII) reads them; a regex costs more. */
  private static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok =
          i == 8 || i == 13 || i == 18 || i == 23
              ? c == '-'
              : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** One JSON value as the checks see it; {@code members} only for the event's device object. */
  private record Value(JsonToken token, String text, Number number, Members members) {

    boolean isNull() {
      return token == JsonToken.VALUE_NULL;
    }

    boolean isTextual() {
      return token == JsonToken.VALUE_STRING;
    }

    boolean isBoolean() {
      return token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE;
    }

    boolean isNumber() {
      return number != null;
    }

    boolean isObject() {
      return members != null;
    }

    /** As Jackson's JsonNodeType names it, in lower case: what a WRONG_JSON_TYPE reports. */
    String typeName() {
      return switch (token) {
        case VALUE_STRING -> "string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
        case VALUE_TRUE, VALUE_FALSE -> "boolean";
        case START_ARRAY -> "array";
        case START_OBJECT -> "object";
        default -> token.name().toLowerCase(Locale.ROOT);
      };
    }

    /** The number as Jackson's tree prints it (1E2 as 100.0), as dead letters have shown it. */
    String asTreeText() {
      JsonNodeFactory nodes = JsonNodeFactory.instance;
      JsonNode node;
      if (number instanceof Integer i) {
        node = nodes.numberNode(i.intValue());
      } else if (number instanceof Long l) {
        node = nodes.numberNode(l.longValue());
      } else if (number instanceof BigInteger b) {
        node = nodes.numberNode(b);
      } else {
        node = nodes.numberNode(number.doubleValue());
      }
      return node.toString();
    }
  }

  /**
   * A JSON object's members, read in one streaming pass: the checks and the binding read the values
   * from here, so a payload is tokenized once and no tree or second mapping pass is built. Nested
   * objects and arrays are skipped (their type kept) except the top level's {@code device}; members
   * no check reads are not kept (each kept one has a slot).
   */
  private static final class Members {
    /** Every member name the checks read (top level and device), each with its slot. */
    private static final Map<String, Integer> SLOTS =
        slots(
            "event_id",
            "event_type",
            "app_id",
            "event_time",
            "received_at",
            "device",
            "referrer_click_id",
            "install_begin_time",
            "sdk_version",
            "deep_link_click_id",
            "media_source",
            "campaign_id",
            "click_id",
            "campaign",
            "adset",
            "ad",
            "site_id",
            "cost_model",
            "retargeting",
            "cost_value",
            "cost_currency",
            "event_name",
            "revenue",
            "currency",
            "platform",
            "country",
            "os_version",
            "advertising_id",
            "vendor_id",
            "ip",
            "user_agent");

    private final Value[] values = new Value[SLOTS.size()];

    private static Map<String, Integer> slots(String... names) {
      Map<String, Integer> slots = new HashMap<>();
      for (String name : names) {
        slots.put(name, slots.size());
      }
      return Map.copyOf(slots);
    }

    /**
     * The root object, or null when the payload is not exactly one JSON object (the tree reader
     * then words the rejection).
     *
     * @throws JsonProcessingException for malformed JSON
     */
    static Members readRoot(JsonParser parser) throws IOException {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Members root = read(parser, true);
      return parser.nextToken() == null ? root : null;
    }

    /**
     * Reads every member (numbers converted as the tree reader does); keeps the ones with a slot.
     */
    private static Members read(JsonParser parser, boolean top) throws IOException {
      Members members = new Members();
      for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
        JsonToken token = parser.nextToken();
        Value value =
            switch (token) {
              case VALUE_STRING -> new Value(token, parser.getText(), null, null);
              case VALUE_NUMBER_INT -> new Value(token, null, parser.getNumberValue(), null);
              case VALUE_NUMBER_FLOAT -> new Value(token, null, parser.getDoubleValue(), null);
              case START_OBJECT ->
                  top && name.equals("device")
                      ? new Value(token, null, null, read(parser, false))
                      : skipped(parser, token);
              case START_ARRAY -> skipped(parser, token);
              default -> new Value(token, null, null, null);
            };
        Integer slot = SLOTS.get(name);
        if (slot != null) {
          members.values[slot] = value;
        }
      }
      return members;
    }

    private static Value skipped(JsonParser parser, JsonToken token) throws IOException {
      parser.skipChildren();
      return new Value(token, null, null, null);
    }

    /**
     * The value at {@code name}, or null when absent (duplicate names are refused by the parser).
     */
    Value get(String name) {
      Integer slot = SLOTS.get(name);
      if (slot == null) {
        throw new IllegalArgumentException("no slot for member " + name + ": add it to SLOTS");
      }
      return values[slot];
    }

    /** The string at {@code name} of a checked payload, or null when absent or JSON null. */
    String string(String name) {
      Value value = get(name);
      return value == null ? null : value.text();
    }

    Double doubleValue(String name) {
      Value value = get(name);
      return value == null || value.number() == null ? null : value.number().doubleValue();
    }

    boolean isTrue(String name) {
      Value value = get(name);
      return value != null && value.token() == JsonToken.VALUE_TRUE;
    }
  }

  /** One payload's field checks; collects violations instead of stopping at the first. */
  private final class Check {
    private final Instant now;
    private final List<Violation> found = new ArrayList<>();

    Check(Instant now) {
      this.now = now;
    }

    List<Violation> event(Members root) {
      String eventId = text(root, "", "event_id", REQUIRED);
      if (eventId != null && !isUuid(eventId)) {
        add(ReasonCode.BAD_UUID, "event_id", "not a UUID: " + eventId);
      }
      EventType type = eventType(root);
      text(root, "", "app_id", REQUIRED);
      Instant eventTime = timestamp(root, "", "event_time", REQUIRED);
      Instant receivedAt = timestamp(root, "", "received_at", REQUIRED);
      times(eventTime, receivedAt);
      Members device = deviceObject(root);
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

    /**
     * The record of a payload without violations, as {@link ContractJson}'s mapping binds it
     * (EventValidatorTest compares the two for every valid payload): read from the members already
     * parsed, instead of a second pass of the mapper over a tree.
     */
    Event bind(Members root) {
      String eventId = root.string("event_id");
      EventType type = EventType.fromWire(root.string("event_type")).orElseThrow();
      String appId = root.string("app_id");
      Instant eventTime = ContractJson.parseInstant(root.string("event_time"));
      Instant receivedAt = ContractJson.parseInstant(root.string("received_at"));
      Members d = root.get("device").members();
      Device device =
          new Device(
              d.string("advertising_id"),
              d.string("vendor_id"),
              d.string("ip"),
              d.string("user_agent"),
              d.string("platform"),
              d.string("os_version"),
              d.string("country"));
      return switch (type) {
        case IMPRESSION, CLICK ->
            new Touchpoint(
                eventId,
                type,
                appId,
                eventTime,
                receivedAt,
                device,
                root.string("media_source"),
                root.string("campaign_id"),
                root.string("campaign"),
                root.string("adset"),
                root.string("ad"),
                root.string("site_id"),
                root.string("click_id"),
                root.isTrue("retargeting"),
                root.string("cost_model"),
                root.doubleValue("cost_value"),
                root.string("cost_currency"));
        case INSTALL -> {
          String beginTime = root.string("install_begin_time");
          yield new Install(
              eventId,
              type,
              appId,
              eventTime,
              receivedAt,
              device,
              root.string("referrer_click_id"),
              beginTime == null ? null : ContractJson.parseInstant(beginTime),
              root.string("sdk_version"));
        }
        case SESSION ->
            new Session(
                eventId,
                type,
                appId,
                eventTime,
                receivedAt,
                device,
                root.string("deep_link_click_id"));
        case IN_APP_EVENT ->
            new InAppEvent(
                eventId,
                type,
                appId,
                eventTime,
                receivedAt,
                device,
                root.string("event_name"),
                root.doubleValue("revenue"),
                root.string("currency"));
      };
    }

    private EventType eventType(Members root) {
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

    private void device(Members device, EventType type) {
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

    private void touch(Members root, EventType type) {
      text(root, "", "media_source", REQUIRED);
      text(root, "", "campaign_id", REQUIRED);
      text(root, "", "click_id", type == EventType.CLICK ? "required for a click" : OPTIONAL);
      for (String name : List.of("campaign", "adset", "ad", "site_id", "cost_model")) {
        text(root, "", name, OPTIONAL);
      }
      Value retargeting = root.get("retargeting");
      if (present(retargeting) && !retargeting.isBoolean()) {
        wrongType("retargeting", "a boolean", retargeting);
      }
      Double cost = number(root, "cost_value");
      if (cost != null && !(Double.isFinite(cost) && cost >= 0)) {
        add(
            ReasonCode.BAD_COST,
            "cost_value",
            "not a finite number >= 0: " + root.get("cost_value").asTreeText());
      }
      currency(root, "cost_currency", cost != null ? "required with cost_value" : OPTIONAL);
    }

    private void inAppEvent(Members root) {
      text(root, "", "event_name", REQUIRED);
      Double revenue = number(root, "revenue");
      if (revenue != null && !Double.isFinite(revenue)) {
        add(ReasonCode.NON_FINITE_REVENUE, "revenue", "too large for a double");
      } else if (revenue != null && revenue < 0) {
        add(ReasonCode.NEGATIVE_REVENUE, "revenue", "below zero: " + revenue);
      }
      currency(root, "currency", revenue != null ? "required with revenue" : OPTIONAL);
    }

    private void currency(Members root, String name, String requirement) {
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
    private String text(Members parent, String prefix, String name, String requirement) {
      Value value = parent.get(name);
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
      if (value.text().isBlank()) {
        add(ReasonCode.BLANK_FIELD, field, "empty or whitespace");
        return null;
      }
      return value.text();
    }

    private Instant timestamp(Members parent, String prefix, String name, String requirement) {
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

    private Double number(Members parent, String name) {
      Value value = parent.get(name);
      if (!present(value)) {
        return null;
      }
      if (!value.isNumber()) {
        wrongType(name, "a number", value);
        return null;
      }
      return value.number().doubleValue();
    }

    private Members deviceObject(Members root) {
      Value value = root.get("device");
      if (!present(value)) {
        add(ReasonCode.MISSING_FIELD, "device", REQUIRED);
        return null;
      }
      if (!value.isObject()) {
        wrongType("device", "an object", value);
        return null;
      }
      return value.members();
    }

    /** A JSON null counts as absent: nulls are omitted on write, some producers send them. */
    private boolean present(Value value) {
      return value != null && !value.isNull();
    }

    private void wrongType(String field, String expected, Value value) {
      add(ReasonCode.WRONG_JSON_TYPE, field, "expected " + expected + ", got " + value.typeName());
    }

    private void add(ReasonCode code, String field, String detail) {
      found.add(new Violation(code, field, detail));
    }
  }
}
