package io.touchpoint.bench.chaos;

import io.touchpoint.bench.ResultsJson;
import io.touchpoint.bench.StackSpark;
import io.touchpoint.local.Console;
import io.touchpoint.local.S3Admin;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint chaos}: {@link ChaosRun} on the embedded stack (Kafka, S3 and ClickHouse
 * started if needed), results in {@code bench/results/chaos-<date>.json}; exit 1 when a fault was
 * not injected or not recovered, or a table or topic differs from the reference.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    header = "Inject faults into every layer and compare with a fault-free run.",
    description = {
      "Faults against a fault-free reference run of the same seeded input, on the embedded stack:",
      "the speed layer SIGKILLed at seeded moments and restarted, the Kafka broker SIGKILLed and",
      "restarted and the S3 API stopped mid-run, the nightly batch SIGKILLed and rerun, a ClickHouse",
      "day load SIGKILLed mid-way and rerun. Then output topics, Delta tables and ClickHouse tables",
      "must equal the reference's: none missing, no duplicate id, identical aggregates."
    },
    sortOptions = false)
public final class ChaosCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--stream-kills",
      paramLabel = "N",
      defaultValue = "20",
      description = "SIGKILLs of the speed layer. Default: ${DEFAULT-VALUE}.")
  int streamKills;

  @Option(
      names = "--broker-restarts",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "SIGKILL + restart of the Kafka broker while the speed layer runs. Default: ${DEFAULT-VALUE}.")
  int brokerRestarts;

  @Option(
      names = "--s3-outages",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Stops of the S3 API server while the speed layer runs. Default: ${DEFAULT-VALUE}.")
  int s3Outages;

  @Option(
      names = "--s3-outage-seconds",
      paramLabel = "S",
      defaultValue = "60",
      description = "How long each S3 outage lasts. Default: ${DEFAULT-VALUE}.")
  int s3OutageSeconds;

  @Option(
      names = "--batch-kills",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "SIGKILLs of the nightly batch, each followed by a rerun. Default: ${DEFAULT-VALUE}.")
  int batchKills;

  @Option(
      names = "--load-kills",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "SIGKILLs of the ClickHouse day load mid-way, each followed by a rerun. Default: ${DEFAULT-VALUE}.")
  int loadKills;

  @Option(
      names = "--max-kill-delay-seconds",
      paramLabel = "S",
      defaultValue = "8",
      description =
          "A speed-layer fault lands a seeded 0..S s after the job's first micro-batch. Default: ${DEFAULT-VALUE}.")
  int maxKillDelaySeconds;

  @Option(
      names = "--devices",
      paramLabel = "N",
      defaultValue = "1000",
      description = "Simulated devices. Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "1",
      description = "Simulated days (plus the simulator's history). Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(
      names = "--seed",
      defaultValue = "14",
      description = "Seed of the simulation and of the fault moments. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      defaultValue = "bench/results",
      description =
          "Folder of the results file (relative to the repository root). Default: ${DEFAULT-VALUE}.")
  Path output;

  /** Micro-batches of input per speed-layer fault: the input must outlast the faults. */
  private static final int BATCHES_PER_FAULT = 3;

  /** Heap of each job's JVM (the speed layer, the batch; the load takes 1 GB). */
  private static final String CHILD_HEAP = "1500m";

  @Option(
      names = "--label",
      paramLabel = "NAME",
      description =
          "Appended to the results file's name (chaos-<date>-NAME.json), for runs of some faults only.")
  String label;

  @Override
  public Integer call() throws Exception {
    require(label == null || label.matches("[a-z0-9-]+"), "--label takes [a-z0-9-], got " + label);
    require(streamKills >= 0, "--stream-kills must be >= 0");
    require(brokerRestarts >= 0, "--broker-restarts must be >= 0");
    require(s3Outages >= 0, "--s3-outages must be >= 0");
    require(batchKills >= 0, "--batch-kills must be >= 0");
    require(loadKills >= 0, "--load-kills must be >= 0");
    require(s3OutageSeconds >= 1, "--s3-outage-seconds must be >= 1");
    require(maxKillDelaySeconds >= 0, "--max-kill-delay-seconds must be >= 0");
    require(devices >= 10, "--devices must be >= 10");
    require(days >= 1, "--days must be >= 1");
    ChaosRun.Settings settings =
        new ChaosRun.Settings(
            devices,
            days,
            seed,
            streamKills,
            brokerRestarts,
            s3Outages,
            Duration.ofSeconds(s3OutageSeconds),
            batchKills,
            loadKills,
            Duration.ofSeconds(maxKillDelaySeconds),
            BATCHES_PER_FAULT,
            CHILD_HEAP);
    StackConfig config = StackConfig.load();
    Stack stack = new Stack(config, Console.stdout());
    EnumSet<Service> services = EnumSet.of(Service.KAFKA, Service.S3);
    if (loadKills > 0) {
      services.add(Service.CLICKHOUSE);
    }
    stack.up(services);
    String bucket = "chaos-" + Long.toString(System.currentTimeMillis(), 36);
    new S3Admin(config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey).createBucket(bucket);
    Path work = Files.createTempDirectory("chaos");
    System.out.println("chaos: work folder (child logs) " + work + ", lakes under s3a://" + bucket);
    SparkSession spark = StackSpark.session(config);
    ChaosRun.Result result;
    try {
      result = new ChaosRun(config, stack, bucket, settings, work, System.out).run(spark);
    } finally {
      spark.stop();
    }
    Path out =
        ResultsJson.writeVerdict(
            config.repoRoot.resolve(output), "chaos", label, result.holds(), settings, result);
    System.out.println("chaos: " + (result.holds() ? "HOLDS" : "FAILS") + "; wrote " + out);
    return result.holds() ? 0 : 1;
  }

  private void require(boolean valid, String message) {
    if (!valid) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }
}
