package io.touchpoint.bench.stream;

import io.touchpoint.model.json.ContractJson;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The results file: the headline figures first, then each phase's details, config and machine. */
final class StreamBenchResult {
  private final Map<String, Object> top = new LinkedHashMap<>();
  private final List<Map<String, Object>> ratesTried = new ArrayList<>();
  private final double loadAtStart = load();

  StreamBenchResult() {
    top.put("benchmark", "stream");
    top.put("date", LocalDate.now().toString());
    top.put("events_per_second", null);
    top.put("p50_latency_ms", null);
    top.put("p95_latency_ms", null);
    top.put("p99_latency_ms", null);
    top.put("raw_consume_eps", null);
  }

  void catchUp(CatchUp.Outcome c) {
    top.put("raw_consume_eps", Math.round(c.rawEps()));
    top.put("catchup_eps", Math.round(c.steadyEps()));
    top.put("catchup", Map.of("records", c.records(), "wall_s", Math.round(c.wallSeconds()), "batches", c.batches()));
  }

  void rateTried(LiveRun.Outcome o, double slope, boolean sustained, Latencies lat) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate_eps", o.rate());
    m.put("achieved_produce_eps", Math.round(o.achievedRate()));
    m.put("produce_s", Math.round(o.produceSeconds()));
    m.put("lag_slope_per_s", Double.isNaN(slope) ? null : Math.round(slope));
    m.put("final_lag", o.samples().isEmpty() ? null : o.samples().get(o.samples().size() - 1).lag());
    m.put("max_lag", o.samples().stream().mapToLong(LiveRun.Sample::lag).max().orElse(0));
    m.put("sustained", sustained);
    if (lat != null) {
      m.put("latency_ms", percentiles(lat));
    }
    ratesTried.add(m);
  }

  void sustained(int best) {
    top.put("events_per_second", best);
    top.put("sustained_rate_eps", best);
    // every rate tried held: the figure is a lower bound, the ceiling is above it
    top.put("sustained_is_lower_bound", ratesTried.stream().allMatch(m -> Boolean.TRUE.equals(m.get("sustained"))));
    ratesTried.stream().filter(m -> Integer.valueOf(best).equals(m.get("rate_eps")) && m.containsKey("latency_ms"))
        .findFirst().ifPresent(m -> top.put("latency_at_sustained_rate_ms", m.get("latency_ms")));
  }

  void latency(LiveRun.Outcome o, Latencies lat, double slope) {
    top.put("p50_latency_ms", lat.percentile(0.50));
    top.put("p95_latency_ms", lat.percentile(0.95));
    top.put("p99_latency_ms", lat.percentile(0.99));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate_eps", o.rate());
    m.put("achieved_produce_eps", Math.round(o.achievedRate()));
    m.put("produce_s", Math.round(o.produceSeconds()));
    m.put("outputs_measured", lat.count());
    m.put("lag_slope_per_s", Double.isNaN(slope) ? null : Math.round(slope));
    m.put("max_lag", o.samples().stream().mapToLong(LiveRun.Sample::lag).max().orElse(0));
    m.put("drained", o.drained());
    m.put("lag_left", o.finalLag());
    top.put("latency_run", m);
  }

  void config(Map<String, Object> config) {
    top.put("rates_tried", ratesTried);
    top.put("config", config);
  }

  void wallSeconds(double s) {
    top.put("wall_s", Math.round(s));
  }

  Path write(Path dir) throws IOException {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put("memory_gb", Math.round(((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize() / 1e9));
    machine.put("load_average_at_start", round2(loadAtStart));
    machine.put("load_average_at_end", round2(load()));
    machine.put("java", System.getProperty("java.version"));
    machine.put("broker", "co-located single-node Kafka (KRaft)");
    machine.put("load_generator", "in the job's JVM (producer shifts times per record)");
    top.put("machine", machine);
    Files.createDirectories(dir);
    Path file = dir.resolve("stream-" + LocalDate.now() + ".json");
    Files.writeString(file, ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(top) + "\n");
    return file;
  }

  private static Map<String, Object> percentiles(Latencies lat) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", lat.percentile(0.50));
    m.put("p95", lat.percentile(0.95));
    m.put("p99", lat.percentile(0.99));
    m.put("samples", lat.count());
    return m;
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
