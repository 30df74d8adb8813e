package io.touchpoint.simulator;

import io.touchpoint.model.validation.ValidationPolicy;
import io.touchpoint.simulator.generate.DeviceGenerator;
import io.touchpoint.simulator.generate.DeviceOutput;
import io.touchpoint.simulator.output.ArrivalSorter;
import io.touchpoint.simulator.output.JsonLinesWriter;
import io.touchpoint.simulator.output.JsonlSink;
import io.touchpoint.simulator.output.KafkaSink;
import io.touchpoint.simulator.output.OutRecord;
import io.touchpoint.simulator.output.OutputOptions;
import io.touchpoint.simulator.output.ProgressBar;
import io.touchpoint.simulator.output.RecordSink;
import io.touchpoint.simulator.output.RulesOverlay;
import io.touchpoint.simulator.truth.FloodingTruth;
import io.touchpoint.simulator.truth.MalformedTruth;
import io.touchpoint.simulator.truth.SiteDayTruth;
import io.touchpoint.simulator.truth.TruthRecord;
import io.touchpoint.simulator.world.FloodSite;
import io.touchpoint.simulator.world.World;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Runs one simulation: generates devices in parallel blocks (each device depends only on the seed
 * and its index), writes their truth, sorts all records into arrival order with bounded memory, and
 * hands them to the sink. Then writes the flooding truth, the rules overlay and the manifest.
 */
public final class Simulator {
  public static final String TRUTH_FILE = "truth.jsonl";
  public static final String MALFORMED_TRUTH_FILE = "malformed-truth.jsonl";
  public static final String FLOODING_TRUTH_FILE = "flooding-truth.jsonl";
  public static final String MANIFEST_FILE = "manifest.json";
  private static final int BLOCK = 512;

  private final SimulationParams params;
  private final OutputOptions options;
  private final PrintStream progress;
  private long sortBudgetBytes = ArrivalSorter.DEFAULT_BUDGET_BYTES;

  /**
   * @param progress where progress bars go (stderr), null for none
   */
  public Simulator(SimulationParams params, OutputOptions options, PrintStream progress) {
    this.params = params;
    this.options = options;
    this.progress = progress;
  }

  /** Smaller sort runs, to exercise the external merge in tests. */
  public Simulator withSortBudget(long bytes) {
    this.sortBudgetBytes = bytes;
    return this;
  }

  /** Runs with the sink the options name. */
  public SimulationResult run() throws IOException {
    Files.createDirectories(options.outDir());
    for (String stale :
        List.of(
            JsonlSink.TOUCHPOINTS_FILE,
            JsonlSink.APP_EVENTS_FILE,
            MALFORMED_TRUTH_FILE,
            TRUTH_FILE,
            FLOODING_TRUTH_FILE,
            MANIFEST_FILE,
            RulesOverlay.FILE)) {
      Files.deleteIfExists(options.outDir().resolve(stale)); // never mix files of two runs
    }
    return run(openSink());
  }

  /** Runs into the given sink (which is closed at the end). */
  public SimulationResult run(RecordSink sink) throws IOException {
    Path out = options.outDir();
    Files.createDirectories(out);
    World world = new World(params);
    int maxPayload = ValidationPolicy.load().maxPayloadBytes();
    DeviceGenerator generator = new DeviceGenerator(world, maxPayload);
    Tally tally = new Tally();
    FloodingTruth flooding =
        new FloodingTruth(
            world.floodSites().stream().map(FloodSite::siteId).collect(Collectors.toSet()));
    Path sortDir = out.resolve(".sort-tmp");
    Instant started = Instant.now();
    Duration generation;
    try (sink;
        ArrivalSorter sorter = new ArrivalSorter(sortDir, sortBudgetBytes);
        JsonLinesWriter truth = new JsonLinesWriter(out.resolve(TRUTH_FILE))) {
      ProgressBar bar = new ProgressBar("generate", params.devices(), progress);
      for (int from = 0; from < params.devices(); from += BLOCK) {
        int to = Math.min(params.devices(), from + BLOCK);
        List<DeviceOutput> block =
            IntStream.range(from, to).parallel().mapToObj(generator::generate).toList();
        for (DeviceOutput device : block) {
          device.records().forEach(sorter::add);
          for (TruthRecord t : device.truths()) {
            truth.write(t);
            flooding.addVerdict(t);
            tally.add("verdict." + t.kind() + "." + t.outcome());
          }
          tally.merge(device.tally());
          flooding.addClicks(device.clicksBySiteDay());
        }
        bar.update(to);
      }
      bar.finish(params.devices());
      generation = Duration.between(started, Instant.now());
      List<SiteDayTruth> siteDays = flooding.siteDays();
      flooding.check(siteDays);
      writeLines(out.resolve(FLOODING_TRUTH_FILE), siteDays);
      tally.add(
          "flooding.flagged_site_days", siteDays.stream().filter(SiteDayTruth::flagged).count());
      deliver(sorter, sink, tally, out.resolve(MALFORMED_TRUTH_FILE));
      tally.add("sort.spilled_runs", sorter.spilledRuns());
    } finally {
      deleteQuietly(sortDir);
    }
    Duration writing = Duration.between(started, Instant.now()).minus(generation);
    Files.writeString(out.resolve(RulesOverlay.FILE), RulesOverlay.hocon(world.apps()));
    SimulationResult result =
        new SimulationResult(out, tally, world.floodingEnabled(), generation, writing);
    Manifest.write(out.resolve(MANIFEST_FILE), world, options, result);
    return result;
  }

  private void deliver(ArrivalSorter sorter, RecordSink sink, Tally tally, Path malformedFile)
      throws IOException {
    Map<String, Long> positions = new HashMap<>();
    ProgressBar bar =
        new ProgressBar(options.format().name().toLowerCase(), sorter.count(), progress);
    long[] done = {0};
    try (JsonLinesWriter malformed = new JsonLinesWriter(malformedFile)) {
      sorter.drain(
          r -> {
            long position = positions.merge(r.topic(), 1L, Long::sum) - 1;
            sink.accept(r, position);
            if (r.isMalformed()) {
              malformed.write(malformedTruth(r, position));
            }
            bar.update(++done[0]);
          });
    }
    bar.finish(done[0]);
    positions.forEach((topic, n) -> tally.add("records." + topic, n));
  }

  private static MalformedTruth malformedTruth(OutRecord r, long position) {
    OutRecord.Malformed m = r.malformed();
    return new MalformedTruth(
        r.topic(),
        position,
        m.reasonCode(),
        m.kind(),
        m.eventId(),
        m.sourceEventId(),
        Instant.ofEpochMilli(r.arrivalMillis()),
        Base64.getEncoder().encodeToString(r.payload()));
  }

  private RecordSink openSink() throws IOException {
    return switch (options.format()) {
      case JSONL -> new JsonlSink(options.outDir());
      case KAFKA ->
          new KafkaSink(
              KafkaSink.producer(options.bootstrapServers()),
              KafkaSink.topics(options.touchpointsTopic(), options.appEventsTopic()),
              options.rate());
      case PARQUET -> ParquetOutput.sink(options.outDir());
    };
  }

  private static void writeLines(Path file, List<?> values) throws IOException {
    try (JsonLinesWriter w = new JsonLinesWriter(file)) {
      for (Object v : values) {
        w.write(v);
      }
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // nothing to clean up
    }
  }
}
