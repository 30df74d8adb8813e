package io.touchpoint.cli;

import io.touchpoint.batch.BatchConfig;
import io.touchpoint.batch.BatchSession;
import io.touchpoint.batch.erase.DeviceErasure;
import io.touchpoint.batch.erase.ErasureRun;
import io.touchpoint.serving.cli.ServeCommand;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.LinkedHashMap;
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
 * device id's SHA-256 only. With {@code --vacuum-retain-hours} the deleted rows' files are removed
 * at once; otherwise they go with the lake's VACUUM retention (docs/reliability.md).
 */
@Command(
    name = "erase",
    mixinStandardHelpOptions = true,
    description =
        "Erase one device of one app from the lake, recompute the days it touched, reload serving.",
    sortOptions = false)
public final class EraseCommand implements Callable<Integer> {

  @Option(
      names = "--app",
      required = true,
      paramLabel = "APP_ID",
      description = "The app the request is for.")
  String app;

  @Option(
      names = "--device",
      required = true,
      paramLabel = "ID",
      description = "The device's advertising id or vendor id.")
  String device;

  @Option(
      names = "--lake",
      paramLabel = "ROOT",
      description = "Lake root (default: the batch layer's).")
  String lake;

  @Option(
      names = "--rules",
      paramLabel = "FILE",
      description = "Attribution rules overlay the batch used (HOCON).")
  String rules;

  @Option(
      names = "--serving",
      paramLabel = "ENGINE",
      defaultValue = "both",
      description =
          "Reload clickhouse, druid, both or none for the recomputed days (default: ${DEFAULT-VALUE}).")
  String serving;

  @Option(
      names = "--vacuum-retain-hours",
      paramLabel = "H",
      description =
          "VACUUM every erased table keeping only H hours of history (0 = the files go now).")
  Double vacuumRetainHours;

  @Option(
      names = "--master",
      paramLabel = "MASTER",
      defaultValue = "local[*]",
      description = "Spark master (default: ${DEFAULT-VALUE}).")
  String master;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final PrintStream out = System.out;

  @Override
  public Integer call() throws Exception {
    if (!java.util.List.of("clickhouse", "druid", "both", "none").contains(serving)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--serving must be clickhouse, druid, both or none");
    }
    if (vacuumRetainHours != null && vacuumRetainHours < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--vacuum-retain-hours must be >= 0");
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    if (lake != null) {
      overrides.put("lake", lake);
    }
    if (rules != null) {
      overrides.put("rules-file", rules);
    }
    BatchConfig config = BatchConfig.load(overrides);
    Map<String, String> s3a =
        config.s3a().isEmpty() && config.lake().startsWith("s3a://")
            ? config.localStackS3a()
            : config.s3a();
    SparkSession spark = BatchSession.create(config, master, s3a);
    DeviceErasure.Report report;
    try {
      report = ErasureRun.run(spark, config, app, device, vacuumRetainHours, out);
    } finally {
      spark.stop();
    }
    if (!serving.equals("none")) {
      for (LocalDate day : report.days()) {
        int code =
            new CommandLine(new ServeCommand())
                .execute("load", "--date", day.toString(), "--engine", serving);
        if (code != 0) {
          out.printf(
              "erase: reloading %s into %s failed (exit %d): the lake is erased; rerun `./touchpoint serve "
                  + "load --date %s --engine %s`%n",
              day, serving, code, day, serving);
          return code;
        }
      }
    }
    out.printf(
        "erase: done: request %s, %d rows, %d days recomputed%s%n",
        report.requestId(),
        report.total(),
        report.days().size(),
        serving.equals("none") ? "" : " and reloaded into " + serving);
    return 0;
  }
}
