package io.touchpoint.cli;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchSession;
import io.touchpoint.batch.erase.DeviceErasure;
import io.touchpoint.batch.erase.ErasureRequest;
import io.touchpoint.batch.erase.ErasureRun;
import io.touchpoint.serving.cli.ServeCommand;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./touchpoint erase --app A --device D}: a data subject's erasure (GDPR art. 17, CCPA).
 * Deletes the device's events and verdicts from every Delta table (bronze, silver, speed,
 * quarantine; {@link DeviceErasure}), recomputes the batch for the days they fell on (gold and its
 * exports), reloads those days into ClickHouse and Druid, and appends an audit record with the
 * device id's SHA-256 only; a completion record once the days are reloaded. A rerun after a crash
 * finishes an unfinished request of the same device (its days recomputed and reloaded). With {@code
 * --vacuum-retain-hours} the deleted rows' files are removed at once; otherwise they go with the
 * lake's VACUUM retention (docs/reliability.md).
 */
@Command(
    name = "erase",
    mixinStandardHelpOptions = true,
    description =
        "Erase one device of one app from the lake, recompute the days it touched, reload serving.",
    sortOptions = false)
public final class EraseCommand implements Callable<Integer> {

  @CommandLine.Mixin ErasureRequest request;

  @Option(
      names = "--serving",
      paramLabel = "ENGINE",
      defaultValue = "both",
      description =
          "Reload clickhouse, druid, both or none for the recomputed days (default: ${DEFAULT-VALUE}).")
  String serving;

  @Option(
      names = "--master",
      paramLabel = "MASTER",
      defaultValue = "local[*]",
      description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out = System.out;

  /** The failed serving reload's exit code, 0 if none failed. */
  private int reloadExit;

  @Override
  public Integer call() throws Exception {
    if (!java.util.List.of("clickhouse", "druid", "both", "none").contains(serving)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--serving must be clickhouse, druid, both or none");
    }
    BatchConfig config = request.config(spec.commandLine());
    Map<String, String> s3a =
        config.s3a().isEmpty() && config.lake().startsWith("s3a://")
            ? config.localStackS3a()
            : config.s3a();
    SparkSession spark = BatchSession.create(config, master, s3a);
    DeviceErasure.Report report;
    try {
      report = ErasureRun.run(spark, config, request, out, this::reload);
    } finally {
      spark.stop();
    }
    if (reloadExit != 0) {
      return reloadExit;
    }
    out.printf(
        "erase: done: request %s, %d rows, %d days recomputed%s%n",
        report.requestId(),
        report.total(),
        report.days().size(),
        serving.equals("none") ? "" : " and reloaded into " + serving);
    return 0;
  }

  /** Reloads the recomputed days into serving; false (request left unfinished) if one fails. */
  private boolean reload(DeviceErasure.Report report) {
    if (serving.equals("none")) {
      return true;
    }
    for (LocalDate day : report.days()) {
      int code =
          new CommandLine(new ServeCommand())
              .execute("load", "--date", day.toString(), "--engine", serving);
      if (code != 0) {
        out.printf(
            "erase: reloading %s into %s failed (exit %d): the lake is erased and recomputed; rerun "
                + "this erase to reload (or `./touchpoint serve load --date %s --engine %s`)%n",
            day, serving, code, day, serving);
        reloadExit = code;
        return false;
      }
    }
    return true;
  }
}
