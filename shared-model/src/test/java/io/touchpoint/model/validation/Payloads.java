package io.touchpoint.model.validation;

import static io.touchpoint.model.validation.ReasonCode.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.model.json.ContractJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Real payloads, as producers would send them, shared by the Java validator test and the JSON
 * Schema test so that both judge the same bytes.
 */
public final class Payloads {

  /** The collector's clock for every case; the payloads were received 5 s before. */
  public static final Instant NOW = Instant.parse("2026-11-20T10:00:05.123Z");

  /**
   * @param expected the reason codes the Java validator must report (empty: valid)
   * @param javaOnly the rule is out of a static JSON Schema's reach (payload size, times relative
   *     to the clock or to each other, code lists maintained by the JDK, numbers that overflow a
   *     double): the schema accepts the payload, only the Java validator rejects it
   */
  public record Case(String name, byte[] payload, Set<ReasonCode> expected, boolean javaOnly) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final String CLICK =
      """
      {"event_id":"0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e01","event_type":"click",
       "app_id":"com.example.game","event_time":"2026-11-20T09:00:00.123Z",
       "received_at":"2026-11-20T09:00:01.000Z",
       "device":{"advertising_id":"6f1c8a52-3b9e-4a57-9d2c-0e5b7f2a1c33","ip":"203.0.113.7",
         "user_agent":"Mozilla/5.0 (Linux; Android 14; SM-G991B)","platform":"android",
         "os_version":"14","country":"DE"},
       "media_source":"adnet_a","campaign_id":"cmp-42","campaign":"Winter Sale",
       "adset":"adset-1","ad":"ad-9","site_id":"site-77","click_id":"clk-123",
       "retargeting":false,"cost_model":"CPC","cost_value":0.12,"cost_currency":"EUR"}
      """;

  static final String IMPRESSION =
      """
      {"event_id":"0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e02","event_type":"impression",
       "app_id":"com.example.game","event_time":"2026-11-20T08:00:00.000Z",
       "received_at":"2026-11-20T08:00:00.500Z",
       "device":{"advertising_id":"6f1c8a52-3b9e-4a57-9d2c-0e5b7f2a1c33","platform":"ios"},
       "media_source":"adnet_b","campaign_id":"cmp-7"}
      """;

  static final String INSTALL =
      """
      {"event_id":"0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e03","event_type":"install",
       "app_id":"com.example.game","event_time":"2026-11-20T09:59:59.000Z",
       "received_at":"2026-11-20T10:00:00.123Z",
       "device":{"vendor_id":"A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF","ip":"203.0.113.7",
         "user_agent":"MyGame/3.1 CFNetwork/1490 Darwin/23.2.0 (iPhone; iOS 17.1)",
         "platform":"ios","os_version":"17.1","country":"US"},
       "referrer_click_id":"clk-123","install_begin_time":"2026-11-20T09:58:00.000Z",
       "sdk_version":"6.12.0"}
      """;

  static final String SESSION =
      """
      {"event_id":"0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e04","event_type":"session",
       "app_id":"com.example.game","event_time":"2026-11-20T09:59:59.000Z",
       "received_at":"2026-11-20T10:00:00.123Z",
       "device":{"advertising_id":"6f1c8a52-3b9e-4a57-9d2c-0e5b7f2a1c33","platform":"android"},
       "deep_link_click_id":"clk-456"}
      """;

  static final String PURCHASE =
      """
      {"event_id":"0b6b2f7e-6c1a-4f0e-9d51-3c2f7d1a9e05","event_type":"in_app_event",
       "app_id":"com.example.game","event_time":"2026-11-20T09:59:59.000Z",
       "received_at":"2026-11-20T10:00:00.123Z",
       "device":{"vendor_id":"A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF","platform":"ios"},
       "event_name":"purchase","revenue":9.99,"currency":"USD"}
      """;

  public static List<Case> valid() {
    return List.of(
        ok("click", bytes(CLICK)),
        ok("impression", bytes(IMPRESSION)),
        ok("install", bytes(INSTALL)),
        ok("session", bytes(SESSION)),
        ok("in_app_event", bytes(PURCHASE)),
        ok(
            "click matched only by ip and user agent",
            edit(CLICK, n -> device(n).remove("advertising_id"))),
        ok(
            "in_app_event without revenue",
            edit(PURCHASE, n -> n.remove(List.of("revenue", "currency")))),
        ok("integer revenue", edit(PURCHASE, n -> n.put("revenue", 10))),
        ok(
            "nulls for optional fields",
            edit(INSTALL, n -> n.putNull("sdk_version").putNull("referrer_click_id"))),
        ok("null retargeting", edit(CLICK, n -> n.putNull("retargeting"))),
        ok("unknown fields are ignored", edit(SESSION, n -> n.put("added_later", "x"))),
        ok(
            "offset timestamp without millis",
            edit(SESSION, n -> n.put("event_time", "2026-11-20T11:59:59+02:00"))),
        ok(
            "event_time at the future tolerance",
            edit(SESSION, n -> n.put("event_time", "2026-11-20T11:00:00.123Z"))),
        ok(
            "event_time at the retention",
            edit(SESSION, n -> n.put("event_time", "2026-10-21T10:00:00.123Z"))));
  }

  public static List<Case> invalid() {
    List<Case> cases = new ArrayList<>();
    String hugeAgent = "x".repeat(70_000);
    cases.add(
        javaOnly(
            "payload over 64 KiB",
            edit(CLICK, n -> device(n).put("user_agent", hugeAgent)),
            PAYLOAD_TOO_LARGE));
    cases.add(bad("latin-1 byte inside a string", latin1AppId(INSTALL), UNDECODABLE_BYTES));
    cases.add(bad("truncated json", bytes(CLICK.substring(0, CLICK.length() / 2)), MALFORMED_JSON));
    cases.add(bad("empty payload", new byte[0], MALFORMED_JSON));
    cases.add(bad("NaN literal", bytes(PURCHASE.replace("9.99", "NaN")), MALFORMED_JSON));
    cases.add(
        bad(
            "duplicate key",
            bytes(SESSION.replace("\"app_id\"", "\"event_id\":\"x\",\"app_id\"")),
            MALFORMED_JSON));
    cases.add(bad("two documents", bytes(SESSION + SESSION), MALFORMED_JSON));
    cases.add(bad("top level array", bytes("[" + SESSION + "]"), WRONG_JSON_TYPE));
    cases.add(
        bad("revenue as string", edit(PURCHASE, n -> n.put("revenue", "9.99")), WRONG_JSON_TYPE));
    cases.add(
        bad("device as string", edit(SESSION, n -> n.put("device", "iPhone")), WRONG_JSON_TYPE));
    cases.add(
        bad(
            "retargeting as string",
            edit(CLICK, n -> n.put("retargeting", "true")),
            WRONG_JSON_TYPE));
    cases.add(bad("app_id as number", edit(SESSION, n -> n.put("app_id", 42)), WRONG_JSON_TYPE));
    cases.add(
        bad(
            "event_time as epoch number",
            edit(SESSION, n -> n.put("event_time", 1_795_168_799_000L)),
            WRONG_JSON_TYPE));
    cases.add(bad("no event_id", edit(INSTALL, n -> n.remove("event_id")), MISSING_FIELD));
    cases.add(bad("null app_id", edit(INSTALL, n -> n.putNull("app_id")), MISSING_FIELD));
    cases.add(bad("no device", edit(SESSION, n -> n.remove("device")), MISSING_FIELD));
    cases.add(bad("no platform", edit(SESSION, n -> device(n).remove("platform")), MISSING_FIELD));
    cases.add(bad("click without click_id", edit(CLICK, n -> n.remove("click_id")), MISSING_FIELD));
    cases.add(
        bad(
            "touch without campaign_id",
            edit(IMPRESSION, n -> n.remove("campaign_id")),
            MISSING_FIELD));
    cases.add(
        bad(
            "in_app_event without event_name",
            edit(PURCHASE, n -> n.remove("event_name")),
            MISSING_FIELD));
    cases.add(
        bad("revenue without currency", edit(PURCHASE, n -> n.remove("currency")), MISSING_FIELD));
    cases.add(
        bad("cost without currency", edit(CLICK, n -> n.remove("cost_currency")), MISSING_FIELD));
    cases.add(bad("blank app_id", edit(SESSION, n -> n.put("app_id", "  ")), BLANK_FIELD));
    cases.add(bad("empty media_source", edit(CLICK, n -> n.put("media_source", "")), BLANK_FIELD));
    cases.add(
        bad("event_id not a uuid", edit(SESSION, n -> n.put("event_id", "evt-12345")), BAD_UUID));
    cases.add(
        bad(
            "unknown event_type",
            edit(PURCHASE, n -> n.put("event_type", "purchase")),
            UNKNOWN_EVENT_TYPE));
    cases.add(
        bad(
            "event_type by enum name",
            edit(PURCHASE, n -> n.put("event_type", "IN_APP_EVENT")),
            UNKNOWN_EVENT_TYPE));
    cases.add(
        bad(
            "words as timestamp",
            edit(SESSION, n -> n.put("event_time", "yesterday")),
            BAD_TIMESTAMP));
    cases.add(
        bad(
            "timestamp without offset",
            edit(SESSION, n -> n.put("received_at", "2026-11-20T10:00:00.123")),
            BAD_TIMESTAMP));
    cases.add(
        bad(
            "timestamp without seconds",
            edit(SESSION, n -> n.put("event_time", "2026-11-20T09:59Z")),
            BAD_TIMESTAMP));
    cases.add(
        bad(
            "impossible date",
            edit(SESSION, n -> n.put("event_time", "2026-02-30T10:00:00Z")),
            BAD_TIMESTAMP));
    cases.add(
        bad(
            "install_begin_time unparseable",
            edit(INSTALL, n -> n.put("install_begin_time", "20.11.2026 09:58")),
            BAD_TIMESTAMP));
    cases.add(
        javaOnly(
            "event_time 2 h after received_at",
            edit(SESSION, n -> n.put("event_time", "2026-11-20T12:00:00.124Z")),
            TIMESTAMP_IN_FUTURE));
    cases.add(
        javaOnly(
            "received_at 2 h after now",
            edit(
                SESSION,
                n ->
                    n.put("received_at", "2026-11-20T12:00:05.124Z")
                        .put("event_time", "2026-11-20T12:00:05.000Z")),
            TIMESTAMP_IN_FUTURE));
    cases.add(
        javaOnly(
            "event_time 31 days before received_at",
            edit(SESSION, n -> n.put("event_time", "2026-10-20T10:00:00.000Z")),
            TIMESTAMP_TOO_OLD));
    cases.add(
        bad("negative revenue", edit(PURCHASE, n -> n.put("revenue", -4.99)), NEGATIVE_REVENUE));
    cases.add(
        javaOnly(
            "revenue overflowing a double",
            bytes(PURCHASE.replace("9.99", "1e400")),
            NON_FINITE_REVENUE));
    cases.add(
        bad(
            "currency of four letters",
            edit(PURCHASE, n -> n.put("currency", "EURO")),
            BAD_CURRENCY));
    cases.add(
        bad("lower-case currency", edit(PURCHASE, n -> n.put("currency", "usd")), BAD_CURRENCY));
    cases.add(
        javaOnly(
            "unknown currency code", edit(PURCHASE, n -> n.put("currency", "XYZ")), BAD_CURRENCY));
    cases.add(
        bad(
            "bad cost currency",
            edit(CLICK, n -> n.put("cost_currency", "dollars")),
            BAD_CURRENCY));
    cases.add(
        bad(
            "unknown platform",
            edit(SESSION, n -> device(n).put("platform", "windows")),
            UNKNOWN_PLATFORM));
    cases.add(
        bad(
            "upper-case platform",
            edit(SESSION, n -> device(n).put("platform", "iOS")),
            UNKNOWN_PLATFORM));
    cases.add(
        bad("alpha-3 country", edit(INSTALL, n -> device(n).put("country", "USA")), BAD_COUNTRY));
    cases.add(
        javaOnly(
            "unassigned country code",
            edit(INSTALL, n -> device(n).put("country", "ZZ")),
            BAD_COUNTRY));
    cases.add(
        bad(
            "touch without advertising_id or ip",
            edit(CLICK, n -> device(n).remove(List.of("advertising_id", "ip"))),
            NO_DEVICE_ID));
    cases.add(
        bad(
            "app event with only ip and user agent",
            edit(INSTALL, n -> device(n).remove("vendor_id")),
            NO_DEVICE_ID));
    cases.add(bad("negative cost", edit(CLICK, n -> n.put("cost_value", -0.5)), BAD_COST));
    cases.add(
        bad(
            "several problems at once",
            edit(
                PURCHASE,
                n -> {
                  n.put("event_id", "nope").remove("app_id");
                  n.put("revenue", -1).put("currency", "EURO");
                  device(n).put("platform", "windows").remove("vendor_id");
                }),
            BAD_UUID,
            MISSING_FIELD,
            NEGATIVE_REVENUE,
            BAD_CURRENCY,
            UNKNOWN_PLATFORM,
            NO_DEVICE_ID));
    return cases;
  }

  public static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] edit(String json, Consumer<ObjectNode> change) {
    ObjectNode node = (ObjectNode) ContractJson.fromJson(json, JsonNode.class);
    change.accept(node);
    return ContractJson.toBytes(node);
  }

  static ObjectNode device(ObjectNode event) {
    return (ObjectNode) event.get("device");
  }

  /** "com.exämple.game" written in ISO-8859-1, as a misconfigured producer would. */
  private static byte[] latin1AppId(String json) {
    return json.replace("com.example.game", "com.ex\u00e4mple.game")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static Case ok(String name, byte[] payload) {
    return new Case(name, payload, Set.of(), false);
  }

  private static Case bad(String name, byte[] payload, ReasonCode first, ReasonCode... rest) {
    return new Case(name, payload, EnumSet.of(first, rest), false);
  }

  private static Case javaOnly(String name, byte[] payload, ReasonCode code) {
    return new Case(name, payload, EnumSet.of(code), true);
  }

  private Payloads() {}
}
