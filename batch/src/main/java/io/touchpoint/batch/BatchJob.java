package io.touchpoint.batch;

import io.touchpoint.batch.steps.AggregateStep;
import io.touchpoint.batch.steps.AttributeStep;
import io.touchpoint.batch.steps.CompactStep;
import io.touchpoint.batch.steps.ExportStep;
import io.touchpoint.batch.steps.ReconcileStep;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The nightly batch for one day (or a range of days: compacted in one pass, then the other steps
 * day by day in order): compact, attribute, aggregate, export, reconcile. The spark-submit main of the shaded jar:
 *
 * <pre>
 * spark-submit --class io.touchpoint.batch.BatchJob batch-*-spark-submit.jar \
 *   --date 2026-03-01 [--through 2026-03-03] [--steps compact,attribute,...] [--lake s3a://bucket]
 *   [--rules s3a://bucket/conf/attribution.conf] [--recompute-marked] [--conf touchpoint.batch.key=value]...
 * </pre>
 */
public final class BatchJob {
  /** What one run did: the reconciliation reports of the days it reconciled, in order. */
  public record Summary(List<LocalDate> days, List<ReconcileStep.Report> reports) {}

  private BatchJob() {}

  public static void main(String[] args) {
    Arguments a;
    try {
      a = Arguments.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("batch: " + e.getMessage());
      System.err.println(Arguments.USAGE);
      System.exit(2);
      return;
    }
    if (a.help) {
      System.out.println(Arguments.USAGE);
      return;
    }
    BatchConfig config = a.config();
    SparkSession spark = BatchSession.create(config, null, config.s3a());
    try {
      run(spark, config, a.from, a.through, a.steps, System.out);
    } finally {
      spark.stop();
    }
  }

  /**
   * Runs {@code steps} for every day from {@code from} through {@code through}: compaction of the
   * whole range in one pass (one overwrite per table), then the downstream steps day by day, in
   * order. With recompute-marked, the days before {@code from} that late arrivals touched are
   * recomputed first (from the earliest of them through {@code from - 1}).
   */
  public static Summary run(SparkSession spark, BatchConfig config, LocalDate from, LocalDate through,
      Set<Step> steps, PrintStream out) {
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

  public static BatchContext context(SparkSession spark, BatchConfig config, PrintStream out) {
    Rules rules = Rules.of(readText(spark, config.rulesFile()), blankToNull(config.rulesFile()));
    Rates rates = ratesOf(spark, config.ratesFile());
    return new BatchContext(spark, config, new Lake(spark, config.lake()), rules, rates, out);
  }

  private static void runDownstream(BatchContext ctx, LocalDate day, Set<Step> steps, List<LocalDate> days,
      List<ReconcileStep.Report> reports) {
    if (steps.contains(Step.ATTRIBUTE)) {
      AttributeStep.run(ctx, day);
    }
    if (steps.contains(Step.AGGREGATE)) {
      AggregateStep.run(ctx, day);
    }
    if (steps.contains(Step.EXPORT)) {
      ExportStep.run(ctx, day);
    }
    if (steps.contains(Step.RECONCILE)) {
      reports.add(ReconcileStep.run(ctx, day));
    }
    if (!days.contains(day)) {
      days.add(day);
    }
  }

  private static Rates ratesOf(SparkSession spark, String file) {
    if (file == null || file.isBlank()) {
      return Rates.builtIn();
    }
    try (InputStream in = new ByteArrayInputStream(readText(spark, file).getBytes(StandardCharsets.UTF_8))) {
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
      FileSystem fs = uri.getScheme() == null
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

  /** The spark-submit main's arguments (no picocli in the shaded jar). */
  static final class Arguments {
    static final String USAGE = """
        usage: BatchJob --date YYYY-MM-DD [--through YYYY-MM-DD]
                        [--steps compact,attribute,aggregate,export,reconcile]
                        [--lake ROOT] [--rules FILE] [--recompute-marked] [--conf touchpoint.batch.KEY=VALUE]...""";
    LocalDate from;
    LocalDate through;
    Set<Step> steps = EnumSet.allOf(Step.class);
    final Map<String, String> conf = new LinkedHashMap<>();
    boolean help;

    static Arguments parse(String[] args) {
      Arguments a = new Arguments();
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--help", "-h" -> a.help = true;
          case "--date" -> a.from = date(value(args, ++i, arg));
          case "--through" -> a.through = date(value(args, ++i, arg));
          case "--steps" -> a.steps = Step.parse(value(args, ++i, arg));
          case "--lake" -> a.conf.put("lake", value(args, ++i, arg));
          case "--rules" -> a.conf.put("rules-file", value(args, ++i, arg));
          case "--recompute-marked" -> a.conf.put("recompute-marked", "true");
          case "--conf" -> {
            String kv = value(args, ++i, arg);
            int eq = kv.indexOf('=');
            if (eq <= 0) {
              throw new IllegalArgumentException("--conf wants key=value, got " + kv);
            }
            a.conf.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
          default -> throw new IllegalArgumentException("unknown argument " + arg);
        }
      }
      if (!a.help && a.from == null) {
        throw new IllegalArgumentException("--date is required");
      }
      if (a.through == null) {
        a.through = a.from;
      }
      return a;
    }

    BatchConfig config() {
      return BatchConfig.load(conf);
    }

    private static String value(String[] args, int i, String name) {
      if (i >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      return args[i];
    }

    private static LocalDate date(String s) {
      try {
        return LocalDate.parse(s);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a date (YYYY-MM-DD): " + s);
      }
    }
  }
}
