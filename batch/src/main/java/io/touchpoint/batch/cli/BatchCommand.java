package io.touchpoint.batch.cli;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchJob;
import io.touchpoint.batch.BatchSession;
import io.touchpoint.batch.CompileBudget;
import io.touchpoint.batch.Lake;
import io.touchpoint.batch.Step;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint batch --date D [--steps ...]}: the nightly batch on this machine, against the
 * embedded stack's lake (s3a:// on S3Proxy) or a local folder. Prints each step's figures and the
 * reconciliation report.
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    description =
        "Runs the batch layer for one day (or a range): compact bronze -> silver (dedup, late arrivals), "
            + "attribute with the shared rules (+ whole-day click flooding), aggregate gold tables, export them as "
            + "Parquet, reconcile speed vs batch. Each step replaces only the day's partitions: reruns are idempotent.")
public final class BatchCommand implements Callable<Integer> {

  @Option(
      names = "--date",
      required = true,
      paramLabel = "YYYY-MM-DD",
      converter = DateConverter.class,
      description = "The (first) day to run, a UTC calendar day.")
  LocalDate date;

  @Option(
      names = "--through",
      paramLabel = "YYYY-MM-DD",
      converter = DateConverter.class,
      description =
          "Run every day from --date through this day: compaction of the whole range in one pass, "
              + "the other steps day by day in order (a backfill; '--steps compact' backfills silver only).")
  LocalDate through;

  @Option(
      names = "--steps",
      paramLabel = "LIST",
      defaultValue = "compact,attribute,aggregate,export,reconcile",
      description = "Comma-separated steps (default: ${DEFAULT-VALUE}).")
  String steps;

  @Option(
      names = "--lake",
      paramLabel = "ROOT",
      description =
          "Lake root (default: touchpoint.batch.lake, $TOUCHPOINT_LAKE, else s3a://touchpoint-lake).")
  String lake;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Attribution rules overlay (HOCON).")
  String rules;

  @Option(
      names = "--recompute-marked",
      description =
          "After compacting, recompute the earlier days that late arrivals touched, then the day.")
  boolean recomputeMarked;

  @Option(
      names = "--master",
      paramLabel = "MASTER",
      defaultValue = "local[*]",
      description = "Spark master for this run (default: ${DEFAULT-VALUE}).")
  String master;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description =
          "Override a batch.conf setting (touchpoint.batch.KEY) or pass a spark.* setting.")
  Map<String, String> conf = new LinkedHashMap<>();

  private final PrintStream out;
  private final boolean embeddedStack;

  public BatchCommand() {
    this(System.out);
  }

  public BatchCommand(PrintStream out) {
    this(out, true);
  }

  private BatchCommand(PrintStream out, boolean embeddedStack) {
    this.out = out;
    this.embeddedStack = embeddedStack;
  }

  /**
   * The same command as the spark-submit main (EMR): the master and cluster settings come from
   * spark-submit, s3a only from batch.conf / the environment (never the embedded stack's), the UI
   * stays on.
   */
  public static BatchCommand forSparkSubmit(PrintStream out) {
    return new BatchCommand(out, false);
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // a bad --steps is the operator's typo: say so before a Spark session is started
    Set<Step> chosen;
    try {
      chosen = steps();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    BatchConfig config = config();
    Map<String, String> s3a = config.s3a();
    if (embeddedStack && s3a.isEmpty() && config.lake().startsWith("s3a://")) {
      s3a = config.localStackS3a();
      out.println(
          "batch: lake "
              + config.lake()
              + " on the embedded stack's S3 at "
              + s3a.get("fs.s3a.endpoint"));
    }
    var session = BatchSession.create(config, embeddedStack ? master : null, s3a);
    try {
      LocalDate last = through == null ? date : through;
      // this JVM is the run's own (./touchpoint batch, spark-submit): it may size the JIT
      String jit =
          CompileBudget.jitForRun(
              new Lake(session, config.lake()),
              config.smallInput(),
              date,
              last,
              chosen.contains(Step.COMPACT));
      if (jit != null) {
        out.println("batch: compile work: " + jit);
      }
      BatchJob.run(session, config, date, last, chosen, out);
    } finally {
      session.stop();
    }
    return 0;
  }

  /** The steps chosen with --steps. */
  public Set<Step> steps() {
    return Step.parse(steps);
  }

  /** batch.conf with the options applied (spark.* --conf values become session settings). */
  public BatchConfig config() {
    Map<String, String> overrides = new LinkedHashMap<>();
    Map<String, String> spark = new LinkedHashMap<>();
    conf.forEach((k, v) -> (k.startsWith("spark.") ? spark : overrides).put(k, v));
    if (lake != null) {
      overrides.put("lake", lake);
    }
    if (rules != null) {
      overrides.put("rules-file", rules);
    }
    if (recomputeMarked) {
      overrides.put("recompute-marked", "true");
    }
    BatchConfig config = BatchConfig.load(overrides);
    Map<String, String> sparkConf = new LinkedHashMap<>(config.sparkConf());
    sparkConf.putAll(spark);
    if (embeddedStack) {
      sparkConf.putIfAbsent("spark.ui.enabled", "false");
    }
    return new BatchConfig(
        config.lake(),
        config.rulesFile(),
        config.ratesFile(),
        config.lateHorizon(),
        config.attributeExactFilterMaxCandidates(),
        config.attributeVerdictsKeptMaxCandidates(),
        config.walkBuckets(),
        config.walkBucketInput(),
        config.attributeReadByBucket(),
        config.recomputeMarked(),
        config.reconcileLateThreshold(),
        config.reportExamples(),
        config.exportFilesPerTable(),
        config.smallInput(),
        config.codegenMinInput(),
        config.adaptiveMinInput(),
        config.concurrentWrites(),
        config.vacuumListingTasks(),
        sparkConf,
        config.s3a(),
        config.localStackS3a());
  }

  /** ISO dates with a readable error. */
  static final class DateConverter implements ITypeConverter<LocalDate> {
    @Override
    public LocalDate convert(String value) {
      try {
        return LocalDate.parse(value);
      } catch (RuntimeException e) {
        throw new picocli.CommandLine.TypeConversionException("not a date (YYYY-MM-DD): " + value);
      }
    }
  }
}
