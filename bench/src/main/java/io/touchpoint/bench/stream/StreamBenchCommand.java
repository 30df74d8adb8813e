package io.touchpoint.bench.stream;

import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./touchpoint bench stream}: the speed layer's benchmark on the embedded stack (Kafka and
 * S3 started if needed). Measures, each phase on fresh topics and a fresh checkpoint:
 *
 * <ol>
 *   <li>raw consume rate of the input topics (plain KafkaConsumer) and the job's catch-up
 *       throughput over the same backlog: the ceiling, and where the rate search starts;
 *   <li>the highest sustained rate: the job runs live while records are produced at a fixed
 *       rate; sustained = the lag does not grow over the sustain window (after a warm-up); a few
 *       steps up or down from the catch-up throughput, or the rates given;
 *   <li>latency at {@code --latency-rate} (and at the highest sustained rate): output broker
 *       timestamp minus the input's received_at.
 * </ol>
 *
 * Writes {@code <output>/stream-<date>.json}; see docs/benchmarks.md.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks the speed layer on the embedded stack (starts Kafka and S3 if needed): raw consume rate, "
          + "catch-up throughput, highest sustained rate (lag not growing over --sustain), end-to-end latency "
          + "at --latency-rate. Writes <output>/stream-<date>.json.",
      "About 20-25 minutes with the defaults; run it on a quiet machine."
    },
    sortOptions = false)
public final class StreamBenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--devices", paramLabel = "N", defaultValue = "60000",
      description = "Simulated devices (3 days of them are the load; more devices, more records). Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(names = "--rates", paramLabel = "EPS", split = ",",
      description = "Rates to test for sustainability, events/s (default: a search from the catch-up throughput).")
  List<Integer> rates = new ArrayList<>();

  @Option(names = "--search-steps", paramLabel = "N", defaultValue = "3",
      description = "Rates tried by the search (each takes warm-up + sustain). Default: ${DEFAULT-VALUE}.")
  int searchSteps;

  @Option(names = "--sustain", paramLabel = "DURATION", defaultValue = "3m", converter = DurationConverter.class,
      description = "How long the lag must not grow at a rate (e.g. 3m, 90s). Default: ${DEFAULT-VALUE}.")
  Duration sustain;

  @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
      description = "Produced before the sustain window starts (JIT, first batches). Default: ${DEFAULT-VALUE}.")
  Duration warmup;

  @Option(names = "--latency-rate", paramLabel = "EPS", defaultValue = "10000",
      description = "Rate of the latency measure, events/s. Default: ${DEFAULT-VALUE}.")
  int latencyRate;

  @Option(names = "--latency-duration", paramLabel = "DURATION", defaultValue = "60s",
      converter = DurationConverter.class,
      description = "How long latency is measured at --latency-rate (after --warmup). Default: ${DEFAULT-VALUE}.")
  Duration latencyDuration;

  @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "3m", converter = DurationConverter.class,
      description = "After producing at --latency-rate, wait at most this long for the job to catch up. "
          + "Default: ${DEFAULT-VALUE}.")
  Duration drainTimeout;

  @Option(names = "--catchup-records", paramLabel = "N", defaultValue = "200000",
      description = "Backlog for the catch-up and raw-consume measures. Default: ${DEFAULT-VALUE}.")
  int catchupRecords;

  @Option(names = "--catchup-batch", paramLabel = "N", defaultValue = "100000",
      description = "Records per micro-batch while catching up (kafka.max-offsets-per-trigger). Default: ${DEFAULT-VALUE}.")
  int catchupBatch;

  @Option(names = "--tolerance", paramLabel = "SHARE", defaultValue = "0.02",
      description = "Sustained = lag grows by less than this share of the rate per second, and the producer "
          + "reached the rate within it. Default: ${DEFAULT-VALUE}.")
  double tolerance;

  @Option(names = "--conf", paramLabel = "KEY=VALUE",
      description = "A speed-layer setting for every phase (as for ./touchpoint stream --conf). Repeatable.")
  List<String> jobConf = new ArrayList<>();

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "bench/results",
      description = "Folder of the results file (relative to the repository root). Default: ${DEFAULT-VALUE}.")
  Path output;

  @Override
  public Integer call() throws Exception {
    validate();
    PrintStream out = System.out;
    long began = System.nanoTime();
    BenchStack stack = BenchStack.up();
    out.printf("bench stream: simulating %d devices x 3 days...%n", devices);
    Path simDir = Files.createTempDirectory("bench-stream-sim");
    SimulatedRecords sim = SimulatedRecords.simulate(simDir, devices, 3, 0.005);
    out.printf("bench stream: %d records in memory (%s)%n", sim.records.size(), elapsed(began));

    StreamBenchResult result = new StreamBenchResult();
    BenchStack.Phase catchup = stack.new Phase("catchup");
    StreamingConfig catchupJob = catchup.jobConfig(sim.rulesOverlay,
        with("kafka.max-offsets-per-trigger=" + catchupBatch));
    SparkSession spark = StreamingJob.session(catchupJob);
    try {
      CatchUp.Outcome c = new CatchUp(spark, stack.kafka, out).run(catchup, catchupJob, sim.first(catchupRecords));
      result.catchUp(c);
      out.printf("bench stream: raw consume %.0f records/s; catch-up %.0f records/s (%s)%n", c.rawEps(), c.steadyEps(),
          elapsed(began));

      LiveRun live = new LiveRun(spark, stack.kafka, out, Duration.ofSeconds(2));
      RateSearch search = new RateSearch(rates, searchSteps, c.steadyEps());
      Integer rate;
      int step = 0;
      while ((rate = search.next()) != null) {
        BenchStack.Phase phase = stack.new Phase("rate-" + rate + "-" + step++);
        Duration produceFor = warmup.plus(sustain);
        List<io.touchpoint.simulator.output.OutRecord> records = sim.first((long) rate * produceFor.toSeconds());
        if (records.size() < (long) rate * produceFor.toSeconds()) {
          // too few records would end the window early and read as "not sustained"
          out.printf("bench stream: only %d records for %d/s over %s: search stopped (raise --devices)%n",
              records.size(), rate, produceFor);
          break;
        }
        out.printf("bench stream: producing at %d/s for %s (warm-up %s)...%n", rate, produceFor, warmup);
        LiveRun.Outcome o = live.run(phase, phase.jobConfig(sim.rulesOverlay, jobConf), records, rate, produceFor,
            Duration.ZERO);
        boolean ok = LagTrend.sustained(o, warmup.toSeconds(), sustain.toSeconds(), tolerance);
        double slope = LagTrend.slope(o.samples(), warmup.toSeconds());
        Latencies lat = ok ? Latencies.of(stack.kafka, phase.outputs(), o.producedAtStartMs() + warmup.toMillis()) : null;
        result.rateTried(o, slope, ok, lat);
        out.printf("bench stream: %d/s %s (lag slope %.0f records/s, achieved %.0f/s) (%s)%n", rate,
            ok ? "SUSTAINED" : "not sustained", slope, o.achievedRate(), elapsed(began));
        search.record(rate, ok);
      }
      result.sustained(search.best());

      BenchStack.Phase latency = stack.new Phase("latency");
      Duration latencyFor = warmup.plus(latencyDuration);
      out.printf("bench stream: latency at %d/s for %s (after a warm-up of %s)...%n", latencyRate, latencyDuration,
          warmup);
      LiveRun.Outcome lo = live.run(latency, latency.jobConfig(sim.rulesOverlay, jobConf),
          sim.first((long) latencyRate * latencyFor.toSeconds()), latencyRate, latencyFor, drainTimeout);
      Latencies lat = Latencies.of(stack.kafka, latency.outputs(), lo.producedAtStartMs() + warmup.toMillis());
      result.latency(lo, lat, LagTrend.slope(lo.samples(), warmup.toSeconds()));
      out.printf("bench stream: latency p50/p95/p99 %d/%d/%d ms over %d outputs, drained=%s (%s)%n",
          lat.percentile(0.50), lat.percentile(0.95), lat.percentile(0.99), lat.count(), lo.drained(), elapsed(began));
    } finally {
      spark.stop();
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("devices", devices);
    config.put("simulated_records", sim.records.size());
    config.put("rates", rates.isEmpty() ? "search, " + searchSteps + " steps" : rates);
    config.put("sustain_s", sustain.toSeconds());
    config.put("warmup_s", warmup.toSeconds());
    config.put("tolerance", tolerance);
    config.put("catchup_records", catchupRecords);
    config.put("catchup_batch", catchupBatch);
    config.put("partitions_per_topic", stack.config.kafkaPartitions);
    config.put("job_conf", jobConf);
    config.put("spark", sparkFacts(catchupJob));
    config.put("lake", "S3Proxy via s3a");
    result.config(config);
    result.wallSeconds((System.nanoTime() - began) / 1e9);
    Path dir = stack.config.repoRoot.resolve(output);
    Path file = result.write(dir);
    out.println("bench stream: wrote " + file + " (" + elapsed(began) + ")");
    return 0;
  }

  private void validate() {
    require(devices >= 100, "--devices must be at least 100");
    require(rates.stream().allMatch(r -> r > 0), "--rates must be positive");
    require(searchSteps >= 1, "--search-steps must be at least 1");
    require(!sustain.isNegative() && sustain.toSeconds() >= 10, "--sustain must be at least 10s");
    require(latencyRate > 0, "--latency-rate must be positive");
    require(latencyDuration.toSeconds() >= 1, "--latency-duration must be at least 1s");
    require(catchupRecords > 0 && catchupBatch > 0, "--catchup-records and --catchup-batch must be positive");
    require(tolerance > 0 && tolerance < 1, "--tolerance must be between 0 and 1");
    jobConf.forEach(c -> require(c.contains("="), "--conf wants KEY=VALUE: " + c));
  }

  private void require(boolean ok, String message) {
    if (!ok) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private List<String> with(String setting) {
    List<String> all = new ArrayList<>(jobConf);
    all.add(setting);
    return all;
  }

  private static Map<String, String> sparkFacts(StreamingConfig job) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : List.of("spark.master", "spark.sql.shuffle.partitions", "spark.sql.streaming.stateStore.providerClass",
        "spark.databricks.delta.snapshotPartitions")) {
      String v = job.sparkOverrides.getOrDefault(k, job.sparkDefaults.get(k));
      if (v != null) {
        m.put(k, v);
      }
    }
    m.put("trigger_interval", job.triggerInterval.toString());
    return m;
  }

  private static String elapsed(long since) {
    return String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - since) / 1e9);
  }

  /** "90s", "3m", "1h" or plain seconds. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        long n = Long.parseLong(v.replaceAll("[smh]$", ""));
        return switch (v.charAt(v.length() - 1)) {
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          default -> Duration.ofSeconds(n);
        };
      } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
        throw new CommandLine.TypeConversionException("not a duration (e.g. 90s, 3m): " + value);
      }
    }
  }
}
