package io.touchpoint.bench.fuzz;

import io.touchpoint.bench.ResultsJson;
import io.touchpoint.bench.StackSpark;
import io.touchpoint.local.Console;
import io.touchpoint.local.S3Admin;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./touchpoint bench fuzz}: the full hostile-input run ({@link FuzzRun}) on the embedded
 * stack (Kafka and S3 started if needed), results in {@code bench/results/fuzz-<date>.json}; exit 1
 * when a hostile record is missing from the dead letters or a valid verdict changed.
 */
@Command(
    name = "fuzz",
    mixinStandardHelpOptions = true,
    description =
        "Hostile records mixed with valid traffic through the speed layer: every hostile one in the "
            + "dead-letter topic and the quarantine table with a reason, every valid verdict as without them.",
    sortOptions = false)
public final class FuzzCommand implements Callable<Integer> {

  @Option(
      names = "--hostile",
      paramLabel = "N",
      defaultValue = "10000",
      description = "Hostile records to mix in. Default: ${DEFAULT-VALUE}.")
  int hostile;

  @Option(
      names = "--devices",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Simulated devices of valid traffic. Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(
      names = "--days",
      paramLabel = "N",
      defaultValue = "2",
      description = "Simulated days of valid traffic. Default: ${DEFAULT-VALUE}.")
  int days;

  @Option(
      names = "--megabyte-every",
      paramLabel = "N",
      defaultValue = "500",
      description =
          "One ~900 KB payload per N hostile records (0 = none). Default: ${DEFAULT-VALUE}.")
  int megabyteEvery;

  @Option(
      names = "--seed",
      defaultValue = "14",
      description = "Seed of the hostile records. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--output",
      paramLabel = "DIR",
      defaultValue = "bench/results",
      description =
          "Folder of the results file (relative to the repository root). Default: ${DEFAULT-VALUE}.")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (hostile < 1 || devices < 10 || days < 1 || megabyteEvery < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--hostile must be >= 1, --devices >= 10, --days >= 1, --megabyte-every >= 0");
    }
    StackConfig config = StackConfig.load();
    new Stack(config, Console.stdout()).up(EnumSet.of(Service.KAFKA, Service.S3));
    String bucket = "fuzz-" + Long.toString(System.currentTimeMillis(), 36);
    new S3Admin(config.s3Endpoint(), config.s3AccessKey, config.s3SecretKey).createBucket(bucket);
    FuzzRun.Stack stack =
        new FuzzRun.Stack(
            config.kafkaBootstrap(),
            config.s3Endpoint(),
            config.s3AccessKey,
            config.s3SecretKey,
            bucket);
    FuzzRun.Settings settings =
        new FuzzRun.Settings(devices, days, hostile, megabyteEvery, seed, config.kafkaPartitions);
    FuzzRun run = new FuzzRun(stack, settings, System.out);
    Path work = Files.createTempDirectory("fuzz");
    SparkSession spark = StackSpark.session(config);
    FuzzRun.Result result;
    try {
      result = run.run(spark, work);
    } finally {
      spark.stop();
    }
    Path out =
        ResultsJson.writeVerdict(
            config.repoRoot.resolve(output), "fuzz", null, result.holds(), settings, result);
    System.out.println("bench fuzz: " + (result.holds() ? "HOLDS" : "FAILS") + "; wrote " + out);
    return result.holds() ? 0 : 1;
  }
}
