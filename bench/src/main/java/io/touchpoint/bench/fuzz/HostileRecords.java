package io.touchpoint.bench.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded payloads that break the wire contract (docs/contract.md) on purpose, each of a known
 * {@link Kind}, made by mutating valid simulated events or from nothing. Every one is invalid by
 * construction: nulls only where the contract requires a value, wrong types only in fields the
 * contract types, truncations that cannot end on a complete document. The generator never calls the
 * validator: it is the spec the speed layer's dead-letter path is checked against.
 */
public final class HostileRecords {

  /** What a hostile payload does; the dead letter's reason code is the validator's to choose. */
  public enum Kind {
    RANDOM_BYTES,
    TRUNCATED_JSON,
    DEEPLY_NESTED_JSON,
    INVALID_UTF8,
    MEGABYTE_STRING,
    OUT_OF_RANGE_NUMBER,
    OUT_OF_RANGE_TIMESTAMP,
    NULL_REQUIRED_FIELD,
    WRONG_TYPE,
    DUPLICATED_KEY,
    OVER_LIMIT_PAYLOAD,
    NOT_AN_OBJECT,
    EMPTY_OR_TOMBSTONE,
    NAN_LITERAL,
    BAD_ENUMERATION
  }

  /** A payload for one input topic ({@code null} value = a Kafka tombstone). */
  public record Hostile(Kind kind, String topic, byte[] key, byte[] value) {}

  /** A valid event to mutate: its contract topic and JSON. */
  public record Template(String topic, byte[] json) {}

  /** Fields every event must carry (docs/contract.md), and the typed fields by JSON type. */
  private static final List<String> REQUIRED =
      List.of("event_id", "event_type", "app_id", "event_time", "received_at", "device");

  private static final List<String> REQUIRED_BY_TYPE_TOUCH = List.of("media_source", "campaign_id");
  private static final List<String> STRINGS =
      List.of(
          "event_id",
          "event_type",
          "app_id",
          "event_time",
          "received_at",
          "media_source",
          "campaign_id",
          "click_id",
          "campaign",
          "adset",
          "ad",
          "site_id",
          "cost_model",
          "cost_currency",
          "referrer_click_id",
          "install_begin_time",
          "sdk_version",
          "deep_link_click_id",
          "event_name",
          "currency");
  private static final List<String> DEVICE_STRINGS =
      List.of(
          "platform", "country", "os_version", "advertising_id", "vendor_id", "ip", "user_agent");
  private static final List<String> NUMBERS = List.of("revenue", "cost_value");
  private static final List<String> TIMES = List.of("event_time", "received_at");

  private final Random random;
  private final List<Template> templates;
  private final int maxPayloadBytes;
  private final int megabyteStringBytes;
  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * @param maxPayloadBytes the contract's payload limit (over-limit payloads exceed it)
   * @param megabyteStringBytes length of a "megabyte string" (below the broker's message limit)
   */
  public HostileRecords(
      long seed, List<Template> templates, int maxPayloadBytes, int megabyteStringBytes) {
    if (templates.isEmpty()) {
      throw new IllegalArgumentException(
          "hostile records are mutations of valid events: none given");
    }
    this.random = new Random(seed);
    this.templates = templates;
    this.maxPayloadBytes = maxPayloadBytes;
    this.megabyteStringBytes = megabyteStringBytes;
  }

  /**
   * {@code n} hostile payloads, the kinds in turn; {@code megabyteEvery}: one megabyte string per
   * that many records (they are heavy on the broker and the lake).
   */
  public List<Hostile> generate(int n, int megabyteEvery) {
    List<Hostile> out = new ArrayList<>(n);
    List<Kind> light = new ArrayList<>(List.of(Kind.values()));
    light.remove(Kind.MEGABYTE_STRING);
    int k = 0;
    for (int i = 0; i < n; i++) {
      boolean heavy = megabyteEvery > 0 && i % megabyteEvery == megabyteEvery - 1;
      out.add(one(heavy ? Kind.MEGABYTE_STRING : light.get(k++ % light.size())));
    }
    return out;
  }

  /** One payload of the given kind. */
  public Hostile one(Kind kind) {
    Template t = templates.get(random.nextInt(templates.size()));
    byte[] key =
        random.nextInt(4) == 0
            ? null
            : ("fuzz-" + random.nextInt(1000)).getBytes(StandardCharsets.UTF_8);
    return new Hostile(
        kind,
        t.topic(),
        key,
        switch (kind) {
          case RANDOM_BYTES -> randomBytes(1 + random.nextInt(2048));
          case TRUNCATED_JSON ->
              java.util.Arrays.copyOf(t.json(), random.nextInt(t.json().length - 1));
          case DEEPLY_NESTED_JSON -> nested(t, 200 + random.nextInt(20_000));
          case INVALID_UTF8 -> invalidUtf8(t);
          case MEGABYTE_STRING ->
              withField(t, "device", "user_agent", text("x", megabyteStringBytes));
          case OUT_OF_RANGE_NUMBER -> outOfRangeNumber(t);
          case OUT_OF_RANGE_TIMESTAMP -> outOfRangeTimestamp(t);
          case NULL_REQUIRED_FIELD -> nullRequired(t);
          case WRONG_TYPE -> wrongType(t);
          case DUPLICATED_KEY -> duplicatedKey(t);
          case OVER_LIMIT_PAYLOAD -> overLimit(t);
          case NOT_AN_OBJECT -> notAnObject(t);
          case EMPTY_OR_TOMBSTONE -> random.nextBoolean() ? null : new byte[0];
          case NAN_LITERAL -> replaceFirstNumberOrAppend(t);
          case BAD_ENUMERATION -> badEnumeration(t);
        });
  }

  private byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private ObjectNode parse(Template t) {
    try {
      return (ObjectNode) mapper.readTree(t.json());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("a template is not a JSON object", e);
    }
  }

  private byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A known string field's value replaced by arrays or objects nested {@code depth} deep. */
  private byte[] nested(Template t, int depth) {
    ObjectNode event = parse(t);
    String field = pick(present(event, STRINGS));
    String marker = "\"" + field + "\":\"__NESTED__\"";
    event.put(field, "__NESTED__");
    String json = new String(write(event), StandardCharsets.UTF_8);
    boolean arrays = random.nextBoolean();
    StringBuilder deep = new StringBuilder(depth * 6);
    for (int i = 0; i < depth; i++) {
      deep.append(arrays ? "[" : "{\"a\":");
    }
    deep.append("1");
    for (int i = 0; i < depth; i++) {
      deep.append(arrays ? "]" : "}");
    }
    return json.replace(marker, "\"" + field + "\":" + deep).getBytes(StandardCharsets.UTF_8);
  }

  private static final byte[][] BAD_UTF8 = {
    {(byte) 0xFF},
    {(byte) 0xC3, 0x28},
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80},
    {(byte) 0xC0, (byte) 0xAF},
    {(byte) 0xE2, (byte) 0x82}
  };

  /** An invalid UTF-8 sequence inside a string value (the JSON around it stays well formed). */
  private byte[] invalidUtf8(Template t) {
    byte[] json = t.json();
    int quote = -1;
    for (int tries = 0; tries < 50 && quote < 0; tries++) {
      int at = random.nextInt(json.length);
      for (int i = at; i < json.length; i++) {
        if (json[i] == ':' && i + 1 < json.length && json[i + 1] == '"') {
          quote = i + 2;
          break;
        }
      }
    }
    if (quote < 0) {
      quote = json.length / 2;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(json, 0, quote);
    out.writeBytes(BAD_UTF8[random.nextInt(BAD_UTF8.length)]);
    out.write(json, quote, json.length - quote);
    return out.toByteArray();
  }

  private byte[] withField(Template t, String object, String field, String value) {
    ObjectNode event = parse(t);
    device(event, object).put(field, value);
    return write(event);
  }

  private static String text(String unit, int bytes) {
    return unit.repeat(Math.max(1, bytes / unit.length()));
  }

  /** revenue / cost_value beyond a double, or below zero, on the event types that carry them. */
  private byte[] outOfRangeNumber(Template t) {
    ObjectNode event = parse(t);
    String type = event.path("event_type").asText();
    String json;
    if (type.equals("in_app_event")) {
      event.put("revenue", "__N__");
      event.put("currency", "USD");
      json =
          new String(write(event), StandardCharsets.UTF_8)
              .replace(
                  "\"__N__\"",
                  random.nextBoolean()
                      ? "1e" + (309 + random.nextInt(5000))
                      : "-" + (1 + random.nextInt(1000)));
    } else if (type.equals("impression") || type.equals("click")) {
      event.put("cost_value", "__N__");
      event.put("cost_currency", "USD");
      json =
          new String(write(event), StandardCharsets.UTF_8)
              .replace(
                  "\"__N__\"",
                  random.nextBoolean() ? "-1e" + (309 + random.nextInt(5000)) : "-0.5");
    } else {
      return outOfRangeTimestamp(t);
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /** A timestamp outside every range the contract accepts (or not a timestamp at all). */
  private byte[] outOfRangeTimestamp(Template t) {
    ObjectNode event = parse(t);
    String field = pick(TIMES);
    String[] values = {
      "+999999999-12-31T23:59:59Z",
      "-999999999-01-01T00:00:00Z",
      "1970-01-01T00:00:00Z",
      "2999-01-01T00:00:00Z",
      "2026-13-45T25:61:61Z",
      "not-a-time",
      "1e308"
    };
    String value = values[random.nextInt(values.length)];
    if (value.startsWith("1970") && field.equals("received_at")) {
      field = "event_time"; // an old received_at with an older event_time could still be valid
    }
    event.put(field, value);
    return write(event);
  }

  private byte[] nullRequired(Template t) {
    ObjectNode event = parse(t);
    List<String> required = new ArrayList<>(REQUIRED);
    String type = event.path("event_type").asText();
    if (type.equals("impression") || type.equals("click")) {
      required.addAll(REQUIRED_BY_TYPE_TOUCH);
    }
    if (type.equals("in_app_event")) {
      required.add("event_name");
    }
    if (random.nextInt(4) == 0 && event.get("device") instanceof ObjectNode device) {
      device.putNull("platform");
    } else {
      String field = pick(required);
      if (random.nextBoolean()) {
        event.putNull(field);
      } else {
        event.remove(field);
      }
    }
    return write(event);
  }

  /** A typed field (present in the event, or added) with a value of another JSON type. */
  private byte[] wrongType(Template t) {
    ObjectNode event = parse(t);
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode[] notStrings = {
      f.numberNode(42), f.booleanNode(true), f.arrayNode().add("x"), f.objectNode().put("a", 1)
    };
    JsonNode[] notNumbers = {
      f.textNode("12.5"), f.booleanNode(false), f.arrayNode(), f.objectNode()
    };
    int choice = random.nextInt(10);
    if (choice < 2 && event.get("device") instanceof ObjectNode device) {
      device.set(
          pick(present(device, DEVICE_STRINGS)), notStrings[random.nextInt(notStrings.length)]);
    } else if (choice < 3) {
      event.set("device", notStrings[random.nextInt(notStrings.length)]);
    } else if (choice < 4
        && List.of("in_app_event", "impression", "click")
            .contains(event.path("event_type").asText())) {
      String field =
          event.path("event_type").asText().equals("in_app_event") ? "revenue" : "cost_value";
      event.set(field, notNumbers[random.nextInt(notNumbers.length)]);
    } else {
      event.set(pick(present(event, STRINGS)), notStrings[random.nextInt(notStrings.length)]);
    }
    return write(event);
  }

  /** A field written twice (a JSON parser may keep either value: the contract rejects both). */
  private byte[] duplicatedKey(Template t) {
    ObjectNode event = parse(t);
    String field = pick(present(event, STRINGS));
    String json = new String(write(event), StandardCharsets.UTF_8);
    String second = random.nextBoolean() ? event.get(field).toString() : "\"other\"";
    return ("{\"" + field + "\":" + second + "," + json.substring(1))
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A valid event padded past the payload limit with whitespace or an unknown field. */
  private byte[] overLimit(Template t) {
    int extra = maxPayloadBytes + 1 + random.nextInt(Math.max(1, maxPayloadBytes));
    if (random.nextBoolean()) {
      byte[] json = t.json();
      byte[] padded = java.util.Arrays.copyOf(json, json.length + extra);
      java.util.Arrays.fill(padded, json.length, padded.length, (byte) ' ');
      return padded;
    }
    ObjectNode event = parse(t);
    event.put("padding", text("ab", extra));
    return write(event);
  }

  private byte[] notAnObject(Template t) {
    return switch (random.nextInt(5)) {
      case 0 -> write(JsonNodeFactory.instance.arrayNode().add(parse(t)));
      case 1 -> "\"an event\"".getBytes(StandardCharsets.UTF_8);
      case 2 -> Integer.toString(random.nextInt()).getBytes(StandardCharsets.UTF_8);
      case 3 -> "null".getBytes(StandardCharsets.UTF_8);
      default -> "true".getBytes(StandardCharsets.UTF_8);
    };
  }

  /** NaN / Infinity where a number or a string belongs (not JSON). */
  private byte[] replaceFirstNumberOrAppend(Template t) {
    ObjectNode event = parse(t);
    String field = pick(present(event, STRINGS));
    event.put(field, "__NAN__");
    String[] literals = {"NaN", "Infinity", "-Infinity", "+1", "01", ".5", "0x10"};
    return new String(write(event), StandardCharsets.UTF_8)
        .replace("\"__NAN__\"", literals[random.nextInt(literals.length)])
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A value outside an enumeration of the contract: event type, platform, country, currency, UUID,
   * blank.
   */
  private byte[] badEnumeration(Template t) {
    ObjectNode event = parse(t);
    switch (random.nextInt(6)) {
      case 0 -> event.put("event_type", pick(List.of("purchase", "INSTALL", "click ", "")));
      case 1 -> device(event, "device").put("platform", pick(List.of("windows", "IOS", "symbian")));
      case 2 -> device(event, "device").put("country", pick(List.of("XX", "usa", "U1", "ZZ")));
      case 3 ->
          event.put(
              "event_id",
              pick(List.of("not-a-uuid", "1234", "g0000000-0000-0000-0000-000000000000")));
      case 4 -> event.put("app_id", pick(List.of("", "   ", "\t")));
      default -> {
        if (event.path("event_type").asText().equals("in_app_event")) {
          event.put("revenue", 9.99);
          event.put("currency", pick(List.of("ZZZ", "usd", "EURO", "$")));
        } else {
          event.put("event_type", "refund");
        }
      }
    }
    return write(event);
  }

  private static ObjectNode device(ObjectNode event, String name) {
    if (!(event.get(name) instanceof ObjectNode o)) {
      ObjectNode created = event.putObject(name);
      created.put("platform", "ios");
      return created;
    }
    return o;
  }

  private List<String> present(ObjectNode node, List<String> fields) {
    List<String> out = new ArrayList<>();
    for (String f : fields) {
      if (node.has(f) && !node.get(f).isNull()) {
        out.add(f);
      }
    }
    return out.isEmpty() ? List.of(fields.get(0)) : out;
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Counts by kind, in the enum's order. */
  public static Map<Kind, Integer> countByKind(List<Hostile> records) {
    Map<Kind, Integer> m = new java.util.EnumMap<>(Kind.class);
    for (Hostile h : records) {
      m.merge(h.kind(), 1, Integer::sum);
    }
    return m;
  }
}
