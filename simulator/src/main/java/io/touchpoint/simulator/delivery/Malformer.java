package io.touchpoint.simulator.delivery;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.touchpoint.model.EventType;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.Draws;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Derives a malformed sibling from a valid payload: a buggy SDK build or network integration
 * sending the same event broken in one way. The sibling gets its own event id, so it never collides
 * with the valid event (which is delivered too).
 */
public final class Malformer {
  private final int maxPayloadBytes;

  /**
   * @param maxPayloadBytes the validator's size limit (oversize payloads exceed it)
   */
  public Malformer(int maxPayloadBytes) {
    this.maxPayloadBytes = maxPayloadBytes;
  }

  /** The broken bytes with what was done and the event id they still carry (if readable). */
  public record Broken(byte[] payload, Breakage breakage, String eventId) {}

  public Broken breakEvent(SplittableRandom r, EventType type, byte[] valid) {
    Breakage b = choose(r, type);
    ObjectNode node = read(valid);
    String freshId = Draws.uuid(r);
    node.put("event_id", freshId);
    String keptId = freshId;
    byte[] out;
    switch (b) {
      case TRUNCATED_JSON -> {
        byte[] whole = write(node);
        int cut = whole.length / 3 + r.nextInt(Math.max(1, whole.length - 2 - whole.length / 3));
        out = java.util.Arrays.copyOf(whole, cut);
        keptId = new String(out, StandardCharsets.US_ASCII).contains(freshId) ? freshId : null;
      }
      case DUPLICATE_KEY ->
          out = prefix(node, "\"app_id\":\"" + node.path("app_id").asText() + "-dup\",");
      case NOT_AN_OBJECT ->
          out =
              ("[" + new String(write(node), StandardCharsets.UTF_8) + "]")
                  .getBytes(StandardCharsets.UTF_8);
      case WRONG_FIELD_TYPE -> {
        wrongType(r, node, type);
        out = write(node);
      }
      case MISSING_FIELD -> {
        String field = Draws.pick(r, missable(type));
        if (field.equals("event_id")) {
          keptId = null;
        }
        remove(node, field);
        out = write(node);
      }
      case BLANK_FIELD -> {
        String field = Draws.pick(r, blankable(type));
        if (field.equals("event_id")) {
          keptId = null;
        }
        put(node, field, r.nextBoolean() ? "" : "   ");
        out = write(node);
      }
      case BAD_UUID -> {
        String bad =
            Draws.pick(
                r,
                List.of(
                    "evt-" + freshId.substring(0, 13),
                    freshId.replace("-", ""),
                    freshId.substring(0, 35) + "z"));
        node.put("event_id", bad);
        keptId = null;
        out = write(node);
      }
      case UNKNOWN_EVENT_TYPE -> {
        node.put(
            "event_type", Draws.pick(r, List.of("purchase", "Install", "app_open", "conversion")));
        out = write(node);
      }
      case BAD_TIMESTAMP -> {
        Instant t = ContractJson.parseInstant(node.path("event_time").asText());
        String text =
            Draws.pick(
                r,
                List.of(
                    t.toString().replace('T', ' ').replace("Z", ""),
                    Long.toString(t.toEpochMilli()),
                    "2026-13-45T10:00:00Z"));
        node.put("event_time", text);
        out = write(node);
      }
      case FUTURE_EVENT_TIME -> {
        Instant received = ContractJson.parseInstant(node.path("received_at").asText());
        node.put(
            "event_time",
            ContractJson.formatInstant(
                received.plus(Draws.between(r, Duration.ofHours(2), Duration.ofDays(3)))));
        out = write(node);
      }
      case TOO_OLD -> {
        Instant received = ContractJson.parseInstant(node.path("received_at").asText());
        node.put(
            "event_time",
            ContractJson.formatInstant(
                received.minus(Draws.between(r, Duration.ofDays(31), Duration.ofDays(200)))));
        out = write(node);
      }
      case NEGATIVE_REVENUE -> {
        node.put("revenue", -(1 + r.nextInt(50)) + 0.99);
        node.put("currency", "USD");
        out = write(node);
      }
      case NON_FINITE_REVENUE -> {
        node.remove("revenue");
        node.put("currency", "USD");
        out = prefix(node, "\"revenue\":1e999,");
      }
      case BAD_CURRENCY -> {
        String code = Draws.pick(r, List.of("usd", "EURO", "US$", "XYZ"));
        if (type.isTouch()) {
          node.put("cost_value", 0.1);
          node.put("cost_currency", code);
        } else {
          node.put("revenue", 4.99);
          node.put("currency", code);
        }
        out = write(node);
      }
      case UNKNOWN_PLATFORM -> {
        device(node).put("platform", Draws.pick(r, List.of("windows", "iOS", "Android", "tvos")));
        out = write(node);
      }
      case BAD_COUNTRY -> {
        device(node).put("country", Draws.pick(r, List.of("UK", "EU", "XX", "usa")));
        out = write(node);
      }
      case NO_DEVICE_ID -> {
        ObjectNode d = device(node);
        d.remove("advertising_id");
        if (type.isTouch()) {
          d.remove("ip");
        } else {
          d.remove("vendor_id");
        }
        out = write(node);
      }
      case BAD_COST -> {
        node.put("cost_model", "cpc");
        node.put("cost_value", -0.25);
        node.put("cost_currency", "USD");
        out = write(node);
      }
      case OVERSIZE -> {
        int pad = maxPayloadBytes + 256 + r.nextInt(4096);
        node.put("debug_trace", "0123456789abcdef".repeat(pad / 16 + 1));
        out = write(node);
      }
      case UNDECODABLE_BYTES -> out = undecodable(write(node));
      default -> throw new IllegalStateException("unhandled breakage " + b);
    }
    return new Broken(out, b, keptId);
  }

  private static Breakage choose(SplittableRandom r, EventType type) {
    Breakage[] all = Breakage.values();
    double[] weights = new double[all.length];
    for (int i = 0; i < all.length; i++) {
      weights[i] = all[i].weightFor(type);
    }
    return all[Draws.weighted(r, weights)];
  }

  private static List<String> missable(EventType type) {
    List<String> fields =
        new ArrayList<>(
            List.of(
                "event_id",
                "event_type",
                "app_id",
                "event_time",
                "received_at",
                "device",
                "device.platform"));
    if (type.isTouch()) {
      fields.addAll(List.of("media_source", "campaign_id"));
    }
    if (type == EventType.CLICK) {
      fields.add("click_id");
    }
    if (type == EventType.IN_APP_EVENT) {
      fields.add("event_name");
    }
    return fields;
  }

  private static List<String> blankable(EventType type) {
    List<String> fields = new ArrayList<>(List.of("event_id", "app_id", "device.platform"));
    if (type.isTouch()) {
      fields.add("media_source");
    }
    return fields;
  }

  private static void wrongType(SplittableRandom r, ObjectNode node, EventType type) {
    int choice = r.nextInt(type.isTouch() ? 3 : 2);
    switch (choice) {
      case 0 -> node.put("app_id", 10_000 + r.nextInt(90_000));
      case 1 -> node.put("device", "unknown-device");
      default -> node.put("retargeting", "yes");
    }
  }

  private static ObjectNode device(ObjectNode node) {
    return (ObjectNode) node.get("device");
  }

  private static void remove(ObjectNode node, String path) {
    if (path.startsWith("device.")) {
      device(node).remove(path.substring("device.".length()));
    } else {
      node.remove(path);
    }
  }

  private static void put(ObjectNode node, String path, String value) {
    if (path.startsWith("device.")) {
      device(node).put(path.substring("device.".length()), value);
    } else {
      node.put(path, value);
    }
  }

  /** Inserts raw JSON members right after the opening brace. */
  private static byte[] prefix(ObjectNode node, String members) {
    String json = new String(write(node), StandardCharsets.UTF_8);
    return ("{" + members + json.substring(1)).getBytes(StandardCharsets.UTF_8);
  }

  /** A lone 0xC3 followed by '(' inside the app_id string: not UTF-8, and no newline byte. */
  private static byte[] undecodable(byte[] json) {
    byte[] marker = "\"app_id\":\"".getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(json, marker) + marker.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + 2);
    out.write(json, 0, at);
    out.write(0xC3);
    out.write('(');
    out.write(json, at, json.length - at);
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("payload without app_id");
  }

  private static ObjectNode read(byte[] json) {
    try {
      return (ObjectNode) ContractJson.mapper().readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(ObjectNode node) {
    return ContractJson.toBytes(node);
  }
}
