package io.touchpoint.serving.druid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.touchpoint.serving.Resources;
import io.touchpoint.serving.ServingConfig;
import io.touchpoint.serving.ServingException;
import io.touchpoint.serving.Template;
import java.io.IOException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The Druid specs of {@code serving/druid/}, filled in: a string that is exactly {@code ${name}}
 * becomes the JSON value given for it (an object, a number), other placeholders are replaced inside
 * strings.
 */
public final class DruidSpecs {
  /** Druid datasource (without prefix) -> the gold tables its batch re-index reads. */
  public static final Map<String, List<String>> BATCH_SOURCES =
      Map.of(
          "attributions", List.of("daily_installs", "ctit_histogram"),
          "events", List.of("daily_events"),
          "retention", List.of("retention"),
          "ltv", List.of("ltv"));

  public static final List<String> DATASOURCES =
      List.of("attributions", "events", "retention", "ltv");

  private DruidSpecs() {}

  public static Map<String, String> datasourceNames(ServingConfig c) {
    Map<String, String> m = new HashMap<>();
    for (String d : DATASOURCES) {
      m.put("ds_" + d, c.datasource(d));
    }
    return m;
  }

  /** The Kafka supervisor for {@code attributions} or {@code attributed-events}. */
  public static JsonNode supervisor(ServingConfig c, String which) {
    if (java.time.Duration.parse(c.druidTaskDuration()).toMinutes() < 1) {
      // Druid 33's Kafka task schedules a refresh every taskDuration-in-whole-minutes: 0 fails the
      // task
      throw new ServingException(
          "druid.task-duration must be at least PT1M, got " + c.druidTaskDuration());
    }
    Map<String, Object> v = new HashMap<>(datasourceNames(c));
    v.put(
        "topic", "attributions".equals(which) ? c.attributionsTopic() : c.attributedEventsTopic());
    v.put("bootstrap", c.kafkaBootstrap());
    v.put("task_duration", c.druidTaskDuration());
    v.put("late_message_rejection_period", c.druidLateRejection());
    JsonNode spec = render("druid/supervisor/" + which + ".json", v);
    if (c.druidLateRejection().isBlank()) {
      // no rejection period: every event the stream carries is ingested
      ((ObjectNode) spec.at("/spec/ioConfig")).remove("lateMessageRejectionPeriod");
    }
    return spec;
  }

  /** The batch re-index of one datasource for one UTC day, reading the JSON lines for Druid. */
  public static JsonNode batch(
      ServingConfig c, String datasource, LocalDate day, JsonNode inputSource) {
    return batch(c, datasource, day, day.plusDays(1), inputSource);
  }

  /** The same spec over the days [from, to) (a backfill or a benchmark load). */
  public static JsonNode batch(
      ServingConfig c, String datasource, LocalDate from, LocalDate to, JsonNode inputSource) {
    Map<String, Object> v = new HashMap<>(datasourceNames(c));
    v.put("interval", from + "T00:00:00Z/" + to + "T00:00:00Z");
    v.put("input_source", inputSource);
    return render("druid/batch/" + datasource + ".json", v);
  }

  public static JsonNode render(String resource, Map<String, Object> values) {
    try {
      JsonNode tree = DruidClient.JSON.readTree(Resources.text(resource));
      return fill(tree, values);
    } catch (IOException e) {
      throw new ServingException("bad JSON in " + resource + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode fill(JsonNode n, Map<String, Object> values) {
    if (n instanceof ObjectNode o) {
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        e.setValue(fill(e.getValue(), values));
      }
      return o;
    }
    if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, fill(a.get(i), values));
      }
      return a;
    }
    if (n instanceof TextNode t) {
      String s = t.asText();
      if (s.matches("\\$\\{[a-z_][a-z0-9_]*}")) {
        Object v = values.get(s.substring(2, s.length() - 1));
        if (v instanceof JsonNode j) {
          return j;
        }
      }
      Map<String, String> strings = new HashMap<>();
      values.forEach((k, v) -> strings.put(k, String.valueOf(v)));
      return TextNode.valueOf(Template.fill(s, strings));
    }
    return n;
  }
}
