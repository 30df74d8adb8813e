package io.touchpoint.batch;

import io.touchpoint.batch.cli.BatchCommand;
import io.touchpoint.batch.steps.AggregateStep;
import io.touchpoint.batch.steps.AttributeStep;
import io.touchpoint.batch.steps.CompactStep;
import io.touchpoint.batch.steps.ExportStep;
import io.touchpoint.batch.steps.ReconcileStep;
import io.touchpoint.model.LakeTables;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

/**
 * The nightly batch for one day (or a range of days: compacted in one pass, then the other steps
 * day by day in order): compact, attribute, aggregate, export, reconcile. The spark-submit main of
 * the shaded jar:
 *
 * <pre>
 * spark-submit --class io.touchpoint.batch.BatchJob batch-*-spark-submit.jar \
 *   --date 2026-03-01 [--through 2026-03-03] [--steps compact,attribute,...] [--lake s3a://bucket]
 *   [--rules s3a://bucket/conf/attribution.conf] [--recompute-marked] [--conf touchpoint.batch.key=value]...
 * </pre>
 *
 * (the options of {@code ./touchpoint batch}: both are {@link BatchCommand}; {@code --master} is
 * ignored under spark-submit)
 *
 * <pre>
 * </pre>
 */
public final class BatchJob {
  /** What one run did: the reconciliation reports of the days it reconciled, in order. */
  public record Summary(List<LocalDate> days, List<ReconcileStep.Report> reports) {}

  private BatchJob() {}

  /**
   * spark-submit's entry: the same picocli command as {@code ./touchpoint batch} (options, help,
   * errors).
   */
  public static void main(String[] args) {
    int code = new CommandLine(BatchCommand.forSparkSubmit(System.out)).execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs {@code steps} for every day from {@code from} through {@code through}: compaction of the
   * whole range in one pass (one overwrite per table), then the downstream steps day by day, in
   * order. With recompute-marked, the days before {@code from} that late arrivals touched are
   * recomputed first (from the earliest of them through {@code from - 1}).
   *
   * <p>Sizes each step's code generation to its input, but leaves the JVM's JIT alone: that is the
   * process owner's choice ({@link BatchCommand}, see {@link CompileBudget#jitForRun}), not a
   * library call's, which may share its JVM with other work (tests, erasure requests).
   */
  public static Summary run(
      SparkSession spark,
      BatchConfig config,
      LocalDate from,
      LocalDate through,
      Set<Step> steps,
      PrintStream out) {
    if (through.isBefore(from)) {
      throw new IllegalArgumentException("--through " + through + " is before --date " + from);
    }
    BatchContext ctx = context(spark, config, out);
    List<LocalDate> days = new ArrayList<>();
    List<ReconcileStep.Report> reports = new ArrayList<>();
    Set<Step> downstream = EnumSet.copyOf(steps);
    downstream.remove(Step.COMPACT);
    long started = System.nanoTime();
    if (steps.contains(Step.COMPACT)) {
      sizeCodegen(ctx, Step.COMPACT, from, through);
      CompactStep.Result compacted = CompactStep.run(ctx, from, through);
      if (config.recomputeMarked() && !compacted.lateDays().isEmpty() && !downstream.isEmpty()) {
        LocalDate first = compacted.lateDays().iterator().next();
        ctx.log("recompute %s..%s: late arrivals changed their silver", first, from.minusDays(1));
        for (LocalDate e = first; e.isBefore(from); e = e.plusDays(1)) {
          runDownstream(ctx, e, downstream, days, reports);
        }
      }
    }
    for (LocalDate day = from; !day.isAfter(through); day = day.plusDays(1)) {
      long dayStarted = System.nanoTime();
      runDownstream(ctx, day, downstream, days, reports);
      if (!downstream.isEmpty()) {
        ctx.log("day %s done in %.1f s", day, (System.nanoTime() - dayStarted) / 1e9);
      }
    }
    ctx.log("%s..%s done in %.1f s", from, through, (System.nanoTime() - started) / 1e9);
    return new Summary(days, reports);
  }

  /**
   * The step's code generation and query planning by what it reads: compaction the bronze days,
   * attribute D's touch horizon and app events, the later steps D's verdicts and credited events.
   */
  private static void sizeCodegen(BatchContext ctx, Step step, LocalDate from, LocalDate through) {
    long limit = ctx.config().codegenMinInput();
    long plansLimit = ctx.config().adaptiveMinInput();
    long bytes = 0;
    if (limit > 0 || plansLimit > 0) {
      Lake lake = ctx.lake();
      bytes =
          switch (step) {
            case COMPACT ->
                lake.bytes(LakeTables.BRONZE_TOUCHPOINTS, from, through)
                    + lake.bytes(LakeTables.BRONZE_APP_EVENTS, from, through);
            case ATTRIBUTE ->
                lake.bytes(
                        LakeTables.SILVER_TOUCHPOINTS,
                        from.minusDays(ctx.rules().touchHorizon().toDays()),
                        through)
                    + lake.bytes(LakeTables.SILVER_APP_EVENTS, from, through);
            default ->
                lake.bytes(LakeTables.SILVER_ATTRIBUTIONS, from, through)
                    + lake.bytes(LakeTables.SILVER_ATTRIBUTED_EVENTS, from, through);
          };
    }
    ctx.log(
        "%s %s: %s; %s",
        step.cliName(),
        from,
        CompileBudget.codegen(ctx.spark(), bytes, limit),
        CompileBudget.plans(ctx.spark(), bytes, plansLimit));
  }

  public static BatchContext context(SparkSession spark, BatchConfig config, PrintStream out) {
    Rules rules = Rules.of(readText(spark, config.rulesFile()), blankToNull(config.rulesFile()));
    Rates rates = ratesOf(spark, config.ratesFile());
    return new BatchContext(spark, config, new Lake(spark, config.lake()), rules, rates, out);
  }

  private static void runDownstream(
      BatchContext ctx,
      LocalDate day,
      Set<Step> steps,
      List<LocalDate> days,
      List<ReconcileStep.Report> reports) {
    if (steps.contains(Step.ATTRIBUTE)) {
      sizeCodegen(ctx, Step.ATTRIBUTE, day, day);
      AttributeStep.run(ctx, day);
    }
    steps.stream()
        .filter(s -> s.compareTo(Step.AGGREGATE) >= 0)
        .findFirst()
        .ifPresent(s -> sizeCodegen(ctx, s, day, day));
    // both in one session: aggregate exports the gold rows it has just computed (no re-read)
    boolean aggregateExports = steps.contains(Step.AGGREGATE) && steps.contains(Step.EXPORT);
    // gold (+ export) and the reconciliation read D's verdicts and write tables of their own:
    // run beside each other (concurrent-writes), each with its own log clock
    List<Callable<ReconcileStep.Report>> pieces = new ArrayList<>();
    if (steps.contains(Step.AGGREGATE) || steps.contains(Step.EXPORT)) {
      pieces.add(
          () -> {
            if (steps.contains(Step.AGGREGATE)) {
              AggregateStep.run(ctx, day, aggregateExports);
            }
            if (steps.contains(Step.EXPORT) && !aggregateExports) {
              ExportStep.run(ctx, day);
            }
            return null;
          });
    }
    if (steps.contains(Step.RECONCILE)) {
      BatchContext reconcile = pieces.isEmpty() ? ctx : ctx.branch();
      pieces.add(() -> ReconcileStep.run(reconcile, day));
    }
    for (ReconcileStep.Report report : ctx.all(pieces)) {
      if (report != null) {
        reports.add(report);
      }
    }
    if (!days.contains(day)) {
      days.add(day);
    }
  }

  private static Rates ratesOf(SparkSession spark, String file) {
    if (file == null || file.isBlank()) {
      return Rates.builtIn();
    }
    try (InputStream in =
        new ByteArrayInputStream(readText(spark, file).getBytes(StandardCharsets.UTF_8))) {
      return Rates.parse(in, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A small text file from any Hadoop path (local, s3a://); null for a blank name. */
  static String readText(SparkSession spark, String file) {
    if (file == null || file.isBlank()) {
      return null;
    }
    try {
      Path p = new Path(file);
      URI uri = p.toUri();
      FileSystem fs =
          uri.getScheme() == null
              ? FileSystem.getLocal(spark.sparkContext().hadoopConfiguration())
              : FileSystem.get(uri, spark.sparkContext().hadoopConfiguration());
      try (InputStream in = fs.open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
