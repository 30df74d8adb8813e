package io.touchpoint.cli;

import io.touchpoint.attribution.InMemoryAttributor;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.Event;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationPolicy;
import io.touchpoint.model.validation.ValidationResult;
import io.touchpoint.model.validation.Violation;
import io.touchpoint.simulator.RawRecord;
import io.touchpoint.simulator.SimulatedDataset;
import io.touchpoint.simulator.SimulationParams;
import io.touchpoint.simulator.Simulator;
import io.touchpoint.simulator.output.OutputOptions;
import io.touchpoint.simulator.truth.SiteDayTruth;
import io.touchpoint.simulator.truth.TruthComparison;
import io.touchpoint.simulator.truth.TruthRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Simulates traffic with its ground truth, validates it, attributes every candidate with the shared
 * rules in plain Java (the attributor itself ignores the second copy of an event id), and compares
 * each verdict, and each install's day-N retention, with the truth. Exit code 0 only at 100%
 * agreement.
 */
@Command(
    name = "check-truth",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate, attribute with the shared rules in plain Java, and compare every verdict with the ground truth.",
      "Prints counts per kind, outcome, match type, touch type, fraud reason and scenario, then 'agreement: X%%',",
      "then each install's day-N retention against the truth, 'retention agreement: X%%'.",
      "Exits 1 if any verdict or retention disagrees."
    },
    sortOptions = false)
public final class CheckTruthCommand implements Callable<Integer> {
  /** Validation runs as if the data were replayed a week after the simulated span. */
  private static final Duration REPLAY_DELAY = Duration.ofDays(7);

  private static final int MISMATCHES_SHOWN = 10;

  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "Devices to simulate (default: ${DEFAULT-VALUE}).")
  int devices = 100_000;

  @Option(names = "--days", description = "Days to simulate (default: ${DEFAULT-VALUE}).")
  int days = 3;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = SimulationParams.DEFAULT_SEED;

  @Option(
      names = "--start-date",
      paramLabel = "YYYY-MM-DD",
      description = "First simulated day (default: ${DEFAULT-VALUE}).")
  LocalDate startDate = SimulationParams.DEFAULT_START_DATE;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Check an existing 'simulate --format jsonl' folder instead of simulating.")
  Path data;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description =
          "Attribution rules (HOCON) overlaying the defaults; default: the rules the simulation planned for.")
  Path rules;

  @Option(names = "--keep", description = "Keep the simulated files (printed at the end).")
  boolean keep;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (devices < 1 || days < 1) {
      throw new ParameterException(spec.commandLine(), "--devices and --days must be at least 1");
    }
    Path dir = data != null ? data : simulate(out);
    SimulatedDataset dataset = SimulatedDataset.open(dir);

    long start = System.nanoTime();
    Validated validated = validate(dataset, processingTime(dataset));
    out.printf(
        Locale.ROOT,
        "validated %,d records in %.1f s: %,d valid events, %,d second copies of an event id, "
            + "%,d malformed (%,d with the expected reason), %,d valid records rejected%n",
        validated.records,
        seconds(start),
        validated.distinct,
        validated.duplicates,
        validated.malformed,
        validated.malformedAsExpected,
        validated.validRejected);

    start = System.nanoTime();
    RulesConfig rulesConfig = RulesConfig.load(rules != null ? rules : dataset.rulesOverlay());
    InMemoryAttributor attributor = new InMemoryAttributor(rulesConfig);
    attributor.addAll(
        validated.events); // in arrival order, duplicates included: the first copy stands
    InMemoryAttributor.Result result = attributor.run();
    boolean duplicatesIgnored = attributor.duplicatesIgnored() == validated.duplicates;
    out.printf(
        Locale.ROOT,
        "attributed %,d candidates and credited %,d in-app events in %.1f s "
            + "(the attributor ignored %,d second copies of an event id%s)%n",
        result.attributions().size(),
        result.attributedEvents().size(),
        seconds(start),
        attributor.duplicatesIgnored(),
        duplicatesIgnored ? "" : ", MISMATCH: validation counted " + validated.duplicates);

    Map<String, TruthRecord> truth = dataset.truthByCandidate();
    TruthComparison comparison = new TruthComparison(truth);
    result.attributions().forEach(comparison::add);
    printCounts(out, result.attributions(), truth, comparison);
    boolean floodingAgrees = printFlooding(out, dataset.floodingTruth(), result.floodingSites());
    printDisagreements(out, comparison);

    out.printf(
        Locale.ROOT,
        "agreement: %.2f%% (%,d of %,d candidates)%n",
        comparison.agreementPercent(),
        comparison.agreed(),
        comparison.expected());
    RetentionCheck retention = RetentionCheck.of(truth, result.retainedDays());
    retention.print(out);
    if (data == null && !keep) {
      deleteTree(dir);
    } else {
      out.println("data: " + dir);
    }
    boolean allGood =
        comparison.agreed() == comparison.expected()
            && comparison.unexpected().isEmpty()
            && validated.malformedAsExpected == validated.malformed
            && validated.validRejected == 0
            && floodingAgrees
            && retention.agrees()
            && duplicatesIgnored;
    return allGood ? 0 : FailureMessages.FAILED;
  }

  private Path simulate(PrintWriter out) throws Exception {
    Path dir = Files.createTempDirectory("touchpoint-check-truth-");
    SimulationParams params = SimulationParams.defaults().withSeed(seed).withSize(devices, days);
    params =
        new SimulationParams(
            params.seed(),
            params.devices(),
            params.days(),
            startDate,
            params.malformedShare(),
            params.lateShare(),
            params.duplicateShare());
    out.printf(
        Locale.ROOT,
        "check-truth: simulating %,d devices x %d days from %s, seed %d -> %s%n",
        devices,
        days,
        startDate,
        seed,
        dir);
    out.flush();
    long start = System.nanoTime();
    var result = new Simulator(params, OutputOptions.jsonl(dir), System.err).run();
    out.printf(
        Locale.ROOT, "simulated %,d records in %.1f s%n", result.totalRecords(), seconds(start));
    return dir;
  }

  /**
   * When the replayed data is "processed": after its last arrival, so nothing looks future-dated.
   */
  private static Instant processingTime(SimulatedDataset dataset) {
    Instant end =
        Instant.parse(
            dataset.manifest().path("span").path("reported_end").asText(Instant.now().toString()));
    Instant replay = end.plus(REPLAY_DELAY);
    return replay.isAfter(Instant.now()) ? replay : Instant.now();
  }

  private static final class Validated {
    /** Every valid record's event in arrival order, second copies of an event id included. */
    final List<Event> events = new ArrayList<>();

    long distinct;
    long records;
    long duplicates;
    long malformed;
    long malformedAsExpected;
    long validRejected;

    void tally(RawRecord r, ValidationResult result, Set<String> seen) {
      records++;
      if (r.isMalformed()) {
        malformed++;
        boolean expected =
            !result.isValid()
                && result.violations().stream()
                    .map(Violation::code)
                    .map(Enum::name)
                    .anyMatch(r.expected().reasonCode()::equals);
        malformedAsExpected += expected ? 1 : 0;
      } else if (!result.isValid()) {
        validRejected++;
      } else {
        events.add(result.event());
        if (seen.add(result.event().eventId())) {
          distinct++;
        } else {
          duplicates++;
        }
      }
    }
  }

  /** Validates on every core, then tallies in arrival order so the first arrival of an id wins. */
  private static Validated validate(SimulatedDataset dataset, Instant now) {
    EventValidator validator = new EventValidator(ValidationPolicy.load());
    Validated v = new Validated();
    Set<String> seen = new HashSet<>();
    try (Stream<RawRecord> records = dataset.records()) {
      records
          .parallel()
          .map(r -> Map.entry(r, validator.validate(r.payload(), now)))
          .forEachOrdered(checked -> v.tally(checked.getKey(), checked.getValue(), seen));
    }
    return v;
  }

  private static void printCounts(
      PrintWriter out,
      List<Attribution> verdicts,
      Map<String, TruthRecord> truth,
      TruthComparison comparison) {
    section(
        out, "verdicts by kind and outcome", count(verdicts, a -> a.kind() + "." + a.outcome()));
    section(out, "by match type", count(verdicts, a -> a.matchType().name()));
    section(out, "by touch type", count(verdicts, a -> a.touchType().name()));
    section(
        out,
        "fraud rejections by reason",
        verdicts.stream()
            .flatMap(a -> a.fraudReasons().stream())
            .collect(Collectors.groupingBy(Enum::name, TreeMap::new, Collectors.counting())));
    section(
        out,
        "re-engagement flag",
        count(verdicts, a -> a.reEngagement() ? "re_engagement" : "acquisition"));
    Map<String, Long> byScenario =
        truth.values().stream()
            .collect(
                Collectors.groupingBy(TruthRecord::scenario, TreeMap::new, Collectors.counting()));
    Set<String> disagreeing = comparison.mismatches().keySet();
    out.println("truth scenarios (candidates / agreeing):");
    byScenario.forEach(
        (scenario, n) -> {
          long bad =
              truth.values().stream()
                  .filter(
                      t ->
                          t.scenario().equals(scenario)
                              && (disagreeing.contains(t.candidateEventId())))
                  .count();
          out.printf(Locale.ROOT, "  %-36s %,10d / %,10d%n", scenario, n, n - bad);
        });
  }

  private static boolean printFlooding(
      PrintWriter out, List<SiteDayTruth> truth, Set<InMemoryAttributor.SiteDay> found) {
    Set<String> expected =
        truth.stream()
            .filter(SiteDayTruth::flagged)
            .map(s -> s.appId() + "/" + s.siteId() + "/" + s.day())
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    Set<String> actual =
        found.stream()
            .map(s -> s.appId() + "/" + s.siteId() + "/" + s.day())
            .collect(Collectors.toCollection(java.util.TreeSet::new));
    out.printf(
        Locale.ROOT,
        "click-flooding site-days flagged: %d (truth: %d)%s%n",
        actual.size(),
        expected.size(),
        actual.equals(expected) ? "" : " MISMATCH expected " + expected + " got " + actual);
    return actual.equals(expected);
  }

  private static void printDisagreements(PrintWriter out, TruthComparison comparison) {
    if (!comparison.mismatches().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "disagreements: %,d (first %d)%n",
          comparison.mismatches().size(),
          MISMATCHES_SHOWN);
      comparison.mismatches().entrySet().stream()
          .limit(MISMATCHES_SHOWN)
          .forEach(e -> out.println("  " + e.getKey() + ": " + String.join("; ", e.getValue())));
    }
    if (!comparison.missing().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "candidates without a verdict: %,d, e.g. %s%n",
          comparison.missing().size(),
          comparison.missing().get(0));
    }
    if (!comparison.unexpected().isEmpty()) {
      out.printf(
          Locale.ROOT,
          "verdicts the truth does not know: %,d, e.g. %s%n",
          comparison.unexpected().size(),
          comparison.unexpected().get(0));
    }
  }

  private static Map<String, Long> count(
      List<Attribution> verdicts, Function<Attribution, String> key) {
    return verdicts.stream()
        .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.counting()));
  }

  private static void section(PrintWriter out, String title, Map<String, Long> counts) {
    out.println(title + ":");
    counts.forEach((k, n) -> out.printf(Locale.ROOT, "  %-36s %,10d%n", k, n));
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
