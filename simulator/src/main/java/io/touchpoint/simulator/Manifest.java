package io.touchpoint.simulator;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.simulator.output.OutputFormat;
import io.touchpoint.simulator.output.OutputOptions;
import io.touchpoint.simulator.output.RulesOverlay;
import io.touchpoint.simulator.truth.FloodingTruth;
import io.touchpoint.simulator.world.FloodSite;
import io.touchpoint.simulator.world.Network;
import io.touchpoint.simulator.world.SimApp;
import io.touchpoint.simulator.world.World;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code manifest.json}: the parameters, the cast, the span, the files and the counts of a run. */
final class Manifest {
  static final int FORMAT_VERSION = 1;

  private Manifest() {}

  static void write(Path file, World world, OutputOptions options, SimulationResult result)
      throws IOException {
    SimulationParams p = world.params();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("generator", "touchpoint-simulator");
    m.put("manifest_version", FORMAT_VERSION);
    m.put(
        "parameters",
        Map.of(
            "seed",
            p.seed(),
            "devices",
            p.devices(),
            "days",
            p.days(),
            "start_date",
            p.startDate().toString(),
            "malformed_share",
            p.malformedShare(),
            "late_share",
            p.lateShare(),
            "duplicate_share",
            p.duplicateShare()));
    m.put(
        "span",
        Map.of(
            "history_start", world.historyStart().toString(),
            "traffic_start", world.trafficStart().toString(),
            "reported_start", world.spanStart().toString(),
            "reported_end", world.spanEnd().toString()));
    m.put("format", options.format().name().toLowerCase());
    m.put("files", files(options));
    m.put("apps", apps(world));
    m.put("networks", world.networks().stream().map(Network::mediaSource).toList());
    m.put("flooding", flooding(world));
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("records_by_topic", result.recordsByTopic());
    counts.put("events_by_type", result.eventsByType());
    counts.put("duplicates", result.count("delivery.duplicates"));
    counts.put("late", result.count("delivery.late"));
    counts.put("malformed_by_reason", result.malformedByReason());
    counts.put("candidates_by_scenario", result.candidatesByScenario());
    counts.put("verdicts", result.verdicts());
    counts.put("all", result.counts().asMap());
    m.put("counts", counts);
    ContractJson.mapper().writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), m);
  }

  private static Map<String, Object> files(OutputOptions options) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (options.format() == OutputFormat.JSONL) {
      f.put("touchpoints", "touchpoints.jsonl");
      f.put("app_events", "app-events.jsonl");
    } else if (options.format() == OutputFormat.KAFKA) {
      f.put("touchpoints_topic", options.touchpointsTopic());
      f.put("app_events_topic", options.appEventsTopic());
      f.put("bootstrap_servers", options.bootstrapServers());
    } else {
      f.put("touchpoints", "touchpoints.parquet");
      f.put("app_events", "app-events.parquet");
    }
    f.put("truth", Simulator.TRUTH_FILE);
    f.put("malformed_truth", Simulator.MALFORMED_TRUTH_FILE);
    f.put("flooding_truth", Simulator.FLOODING_TRUTH_FILE);
    f.put("rules_overlay", RulesOverlay.FILE);
    return f;
  }

  private static List<Map<String, Object>> apps(World world) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SimApp a : world.apps()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("app_id", a.appId());
      m.put("name", a.name());
      m.put("platform", a.platform().wireName());
      m.put("time_zone", a.timeZone().getId());
      m.put("click_lookback", a.windows().clickLookback().toString());
      m.put("view_through_lookback", a.windows().viewThroughLookback().toString());
      m.put("re_attribution_window", a.windows().reAttributionWindow().toString());
      m.put("ctit_min", a.windows().ctitMinimum().toString());
      m.put(
          "events_after_reinstall",
          a.windows().organicEventsAfterReinstall() ? "organic" : "original-source");
      m.put("retention_time_zone", a.windows().retentionZone(a.timeZone()).getId());
      m.put(
          "click_lookback_by_source",
          a.windows().clickLookbackBySource().entrySet().stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      Map.Entry::getKey, e -> e.getValue().toString())));
      out.add(m);
    }
    return out;
  }

  private static Map<String, Object> flooding(World world) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("enabled", world.floodingEnabled());
    if (!world.floodingEnabled()) {
      f.put(
          "reason",
          "fewer than "
              + World.MIN_DEVICES_FOR_FLOODING
              + " devices: no site can reach the detector's minimum clicks plausibly; no site floods");
    }
    f.put(
        "thresholds",
        Map.of(
            "min_clicks",
            FloodingTruth.MIN_CLICKS,
            "max_conversion_rate",
            FloodingTruth.MAX_CONVERSION,
            "max_share_within_first_hour",
            FloodingTruth.MAX_SHARE_WITHIN_FIRST_HOUR));
    List<Map<String, Object>> sites = new ArrayList<>();
    for (FloodSite s : world.floodSites()) {
      sites.add(
          Map.of(
              "app_id",
              s.app().appId(),
              "site_id",
              s.siteId(),
              "media_source",
              s.campaign().network().mediaSource(),
              "campaign_id",
              s.campaign().campaignId(),
              "clicks_per_day",
              Math.round(s.clicksPerDay())));
    }
    f.put("sites", sites);
    f.put("planned_wins", world.floodSlots().size());
    return f;
  }
}
