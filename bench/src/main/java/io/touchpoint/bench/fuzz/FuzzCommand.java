package io.touchpoint.bench.fuzz;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.touchpoint.local.Console;
import io.touchpoint.local.S3Admin;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import io.touchpoint.streaming.StreamingJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    SparkSession spark =
        StreamingJob.session(
            io.touchpoint.streaming.StreamingConfig.load(
                null,
                List.of(
                    "spark.master=local[2]",
                    "spark.sql.shuffle.partitions=4",
                    "lake.s3a.endpoint=" + config.s3Endpoint(),
                    "lake.s3a.access-key=" + config.s3AccessKey,
                    "lake.s3a.secret-key=" + config.s3SecretKey)));
    FuzzRun.Result result;
    try {
      result = run.run(spark, work);
    } finally {
      spark.stop();
    }
    Map<String, Object> file = new LinkedHashMap<>();
    file.put("benchmark", "fuzz");
    file.put("date", LocalDate.now(ZoneOffset.UTC).toString());
    file.put("holds", result.holds());
    file.put("settings", settings);
    file.put("result", result);
    Path dir = config.repoRoot.resolve(output);
    Files.createDirectories(dir);
    Path out = dir.resolve("fuzz-" + file.get("date") + ".json");
    new ObjectMapper()
        .findAndRegisterModules()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(out.toFile(), file);
    System.out.println("bench fuzz: " + (result.holds() ? "HOLDS" : "FAILS") + "; wrote " + out);
    return result.holds() ? 0 : 1;
  }
}
