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
  private final List<Map<String, Object>> curve = new ArrayList<>();
  private final Map<String, Map<String, Object>> floors = new LinkedHashMap<>();
  private final List<Map<String, Object>> checkpointOnS3 = new ArrayList<>();
  private final List<Map<String, Object>> compared = new ArrayList<>();
  private final Map<String, Object> batchCosts = new LinkedHashMap<>();
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

  void catchUp(
      double rawEps, CatchUp.Outcome layer, CatchUp.Outcome stateless, CatchUp.Outcome stateful) {
    top.put("raw_consume_eps", Math.round(rawEps));
    top.put("catchup_eps", Math.round(layer.steadyEps()));
    top.put("catchup", catchUpFacts(layer));
    floor(FloorQueries.Kind.STATELESS).put("catchup_eps", Math.round(stateless.steadyEps()));
    floor(FloorQueries.Kind.STATELESS).put("catchup", catchUpFacts(stateless));
    floor(FloorQueries.Kind.STATEFUL).put("catchup_eps", Math.round(stateful.steadyEps()));
    floor(FloorQueries.Kind.STATEFUL).put("catchup", catchUpFacts(stateful));
  }

  private static Map<String, Object> catchUpFacts(CatchUp.Outcome c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", c.records());
    m.put("batches", c.batches());
    m.put("wall_s", Math.round(c.wallSeconds()));
    return m;
  }

  private Map<String, Object> floor(FloorQueries.Kind kind) {
    return floors.computeIfAbsent(kind.label.replace("floor-", ""), k -> new LinkedHashMap<>());
  }

  /** One live run of the speed layer (a point of the latency curve, or of the search above it). */
  void rateTried(LiveRun.Outcome o, double slope, boolean sustained, Latencies lat) {
    Map<String, Object> m = live(o, slope, sustained, lat);
    ratesTried.add(m);
    curve.add(m);
  }

  /** The speed layer with its checkpoints on the S3 API instead of local disk. */
  void checkpointOnS3(LiveRun.Outcome o, double slope, boolean sustained, Latencies lat) {
    checkpointOnS3.add(live(o, slope, sustained, lat));
  }

  /** The layer at a curve rate with the {@code --compare-conf} settings added (B of an A/B). */
  void compared(LiveRun.Outcome o, double slope, boolean sustained, Latencies lat) {
    compared.add(live(o, slope, sustained, lat));
  }

  @SuppressWarnings("unchecked")
  void floorLive(
      FloorQueries.Kind kind, LiveRun.Outcome o, double slope, boolean sustained, Latencies lat) {
    ((List<Map<String, Object>>) floor(kind).computeIfAbsent("live", k -> new ArrayList<>()))
        .add(live(o, slope, sustained, lat));
  }

  private static Map<String, Object> live(
      LiveRun.Outcome o, double slope, boolean sustained, Latencies lat) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rate_eps", o.rate());
    m.put("achieved_produce_eps", Math.round(o.achievedRate()));
    m.put("produce_s", Math.round(o.produceSeconds()));
    m.put("lag_slope_per_s", Double.isNaN(slope) ? null : Math.round(slope));
    m.put(
        "final_lag", o.samples().isEmpty() ? null : o.samples().get(o.samples().size() - 1).lag());
    m.put("max_lag", o.samples().stream().mapToLong(LiveRun.Sample::lag).max().orElse(0));
    m.put("sustained", sustained);
    m.put("drained", o.drained());
    if (lat != null) {
      m.put("latency_ms", percentiles(lat));
    }
    if (o.cpu() != null) {
      m.put("cpu", cpuFacts(o.cpu(), o.rate()));
    }
    return m;
  }

  /**
   * A live run's CPU over its window (after the warm-up, while producing): cores used on average
   * and CPU seconds per 1 000 records produced, by this JVM's queries (its CPU minus the producer's
   * threads), the producer, the lake's JVM and the whole machine.
   */
  private static Map<String, Object> cpuFacts(CpuMeter.Cpu c, int rate) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("queries_in_bench_jvm", c.benchJvmSeconds() - c.producerSeconds());
    seconds.put("producer", c.producerSeconds());
    seconds.put("lake_jvm", c.lakeJvmSeconds());
    seconds.put("machine", c.machineSeconds());
    double thousands = rate * c.wallSeconds() / 1000;
    Map<String, Object> cores = new LinkedHashMap<>();
    Map<String, Object> perThousand = new LinkedHashMap<>();
    seconds.forEach(
        (k, v) -> {
          cores.put(k, round2(v / c.wallSeconds()));
          perThousand.put(k, round3(v / thousands));
        });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("window_s", Math.round(c.wallSeconds()));
    m.put("cores", cores);
    m.put("cpu_s_per_1000_records", perThousand);
    return m;
  }

  /**
   * A part of the layer draining the catch-up backlog on its own (or the whole layer in one JVM):
   * its rate and the CPU seconds it used per 1 000 input records.
   */
  @SuppressWarnings("unchecked")
  void catchUpPart(String part, long records, double eps, double wallSeconds, double cpuSeconds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", records);
    m.put("eps", Math.round(eps));
    m.put("wall_s", round2(wallSeconds));
    m.put("cpu_s", round2(cpuSeconds));
    m.put("cpu_s_per_1000_records", records == 0 ? null : round3(cpuSeconds * 1000 / records));
    ((Map<String, Object>) top.computeIfAbsent("catchup_parts", k -> new LinkedHashMap<>()))
        .put(part, m);
  }

  /**
   * The headline: the highest sustained rate, the latency at {@code latencyRate}, and the ratios to
   * the floor measured in the same run.
   */
  @SuppressWarnings("unchecked")
  void headline(int best, int latencyRate) {
    top.put("events_per_second", best);
    top.put("sustained_rate_eps", best);
    // every rate tried held: the figure is a lower bound, the ceiling is above it
    top.put(
        "sustained_is_lower_bound",
        ratesTried.stream().allMatch(m -> Boolean.TRUE.equals(m.get("sustained"))));
    latencyAt(curve, best).ifPresent(l -> top.put("latency_at_sustained_rate_ms", l));
    Map<String, Object> at = latencyAt(curve, latencyRate).orElse(null);
    if (at != null) {
      top.put("p50_latency_ms", at.get("p50"));
      top.put("p95_latency_ms", at.get("p95"));
      top.put("p99_latency_ms", at.get("p99"));
    }
    Map<String, Object> ratios = new LinkedHashMap<>();
    Object statefulCatchUp = floor(FloorQueries.Kind.STATEFUL).get("catchup_eps");
    if (statefulCatchUp instanceof Long c && c > 0) {
      ratios.put("sustained_over_stateful_catchup", round2(best / (double) c));
      ratios.put(
          "catchup_over_stateful_catchup", round2(((Long) top.get("catchup_eps")) / (double) c));
    }
    List<Map<String, Object>> statefulLive =
        (List<Map<String, Object>>)
            floor(FloorQueries.Kind.STATEFUL).getOrDefault("live", List.of());
    Map<String, Object> floorAt = latencyAt(statefulLive, latencyRate).orElse(null);
    if (at != null && floorAt != null && ((Long) floorAt.get("p99")) > 0) {
      ratios.put(
          "p99_over_stateful_p99_at_" + latencyRate,
          round2(((Long) at.get("p99")) / (double) (Long) floorAt.get("p99")));
    }
    top.put("ratios", ratios);
  }

  @SuppressWarnings("unchecked")
  private static java.util.Optional<Map<String, Object>> latencyAt(
      List<Map<String, Object>> runs, int rate) {
    return runs.stream()
        .filter(m -> Integer.valueOf(rate).equals(m.get("rate_eps")) && m.containsKey("latency_ms"))
        .map(m -> (Map<String, Object>) m.get("latency_ms"))
        .reduce((a, b) -> b);
  }

  /** A phase that failed (its error), kept beside the figures of the others. */
  @SuppressWarnings("unchecked")
  void failed(String phase, String error) {
    ((List<Map<String, Object>>) top.computeIfAbsent("failed_phases", k -> new ArrayList<>()))
        .add(Map.of("phase", phase, "error", String.valueOf(error)));
  }

  /** A live phase's micro-batch costs per query ({@link BatchCosts}): where a batch's time goes. */
  void batchCosts(String phase, Map<String, Object> byQuery) {
    batchCosts.put(phase, byQuery);
  }

  void config(Map<String, Object> config) {
    top.put("latency_curve", curve);
    top.put("floor", floors);
    top.put("checkpoint_on_s3", checkpointOnS3);
    if (!compared.isEmpty()) {
      top.put("compare", compared);
    }
    top.put("batch_costs_ms", batchCosts);
    top.put("config", config);
  }

  void wallSeconds(double s) {
    top.put("wall_s", Math.round(s));
  }

  Path write(Path dir) throws IOException {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put(
        "memory_gb",
        Math.round(((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize() / 1e9));
    machine.put("load_average_at_start", round2(loadAtStart));
    machine.put("load_average_at_end", round2(load()));
    machine.put("java", System.getProperty("java.version"));
    machine.put("broker", "co-located single-node Kafka (KRaft)");
    machine.put("load_generator", "in the job's JVM (producer shifts times per record)");
    top.put("machine", machine);
    Files.createDirectories(dir);
    Path file = dir.resolve("stream-" + LocalDate.now() + ".json");
    Files.writeString(
        file,
        ContractJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(top) + "\n");
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

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
