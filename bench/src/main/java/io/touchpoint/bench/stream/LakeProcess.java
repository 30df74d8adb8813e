package io.touchpoint.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.bench.ChildJvm;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lake's queries (ingest, speed tables) as a Spark application of their own: a child JVM
 * running {@code stream --queries lake} with the phase's settings, started under {@code nice} so
 * that the OS gives the latency path's JVM the cores first. Its progress is read from its
 * checkpoints (the last committed batch's offsets), as the bench reads the in-process queries' from
 * their progress events.
 */
final class LakeProcess implements AutoCloseable {
  /**
   * How the bench starts it: OS priority (nice increment), heap, more JVM options, how long a
   * graceful stop waits.
   */
  record Settings(
      int nice, String heap, List<String> javaOpts, Duration startWait, Duration stopWait) {}

  private final Process process;
  private final Path log;
  private final Path ingestCheckpoint;
  private final Path speedTablesCheckpoint;
  private final Duration stopWait;

  private LakeProcess(Process process, Path log, StreamingConfig job, Duration stopWait) {
    this.process = process;
    this.log = log;
    this.ingestCheckpoint = local(job.ingestCheckpoint);
    this.speedTablesCheckpoint = local(job.speedTablesCheckpoint);
    this.stopWait = stopWait;
  }

  /**
   * Starts the lake's queries of {@code job} (given as its {@code settings}) in a child JVM on this
   * JVM's class path; its output goes to {@code log}.
   */
  static LakeProcess start(List<String> settings, StreamingConfig job, Settings how, Path log)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--queries", StreamingConfig.Queries.LAKE.label()));
    for (String s : settings) {
      args.add("--conf");
      args.add(s);
    }
    List<String> cmd = new ArrayList<>(List.of("nice", "-n", String.valueOf(how.nice())));
    cmd.addAll(ChildJvm.command(how.heap(), how.javaOpts(), StreamingJob.class.getName(), args));
    Files.createDirectories(log.getParent());
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
            .start();
    LakeProcess lake = new LakeProcess(p, log, job, how.stopWait());
    try {
      lake.awaitQueriesStarted(how.startWait());
    } catch (RuntimeException | InterruptedException e) {
      lake.close();
      throw e;
    }
    return lake;
  }

  /**
   * Waits until both queries have started (each has written its checkpoint's {@code metadata}
   * file), so that the lake's first batch is as early as when the queries run in the bench's JVM (a
   * later start would make the lag's first period longer than the others).
   */
  private void awaitQueriesStarted(Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!Files.exists(ingestCheckpoint.resolve("metadata"))
        || !Files.exists(speedTablesCheckpoint.resolve("metadata"))) {
      failIfDead();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the lake's queries did not start within " + wait + ", see " + log);
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** How often the start is checked. */
  private static final Duration POLL = Duration.ofMillis(200);

  /** Input records the ingest query's last committed batch read up to (0 before its first). */
  long ingestConsumed() {
    return consumed(ingestCheckpoint);
  }

  /** Output-topic records the speed-tables query's last committed batch read up to. */
  long speedTablesConsumed() {
    return consumed(speedTablesCheckpoint);
  }

  /** Fails when the process has ended (it runs until the bench stops it). */
  void failIfDead() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the lake's process ended (exit " + process.exitValue() + "), see " + log);
    }
  }

  /** SIGTERM (the job stops after its batch in flight), then SIGKILL after the wait. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private static Path local(String checkpoint) {
    URI uri = URI.create(checkpoint);
    if (!"file".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "the lake's process is followed through local checkpoints, not " + checkpoint);
    }
    return Path.of(uri);
  }

  /** Sum over partitions of the offsets the last committed batch of a checkpoint read up to. */
  static long consumed(Path checkpoint) {
    OptionalLong last = lastBatch(checkpoint.resolve("commits"));
    if (last.isEmpty()) {
      return 0;
    }
    try {
      List<String> lines =
          Files.readAllLines(
              checkpoint.resolve("offsets").resolve(Long.toString(last.getAsLong())),
              StandardCharsets.UTF_8);
      // v1, the batch's metadata, then one line of offsets per source
      long n = 0;
      for (String line : lines.subList(Math.min(2, lines.size()), lines.size())) {
        n += offsetSum(line);
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static OptionalLong lastBatch(Path dir) {
    if (!Files.isDirectory(dir)) {
      return OptionalLong.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(f -> f.matches("\\d+"))
          .mapToLong(Long::parseLong)
          .max();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sum of the offsets of a Kafka source's offset JSON ({"topic":{"0":n,...},...}). */
  static long offsetSum(String json) {
    if (json == null || json.isBlank()) {
      return 0;
    }
    try {
      long n = 0;
      for (Iterator<JsonNode> topics = ContractJson.mapper().readTree(json).elements();
          topics.hasNext(); ) {
        for (Iterator<JsonNode> parts = topics.next().elements(); parts.hasNext(); ) {
          n += parts.next().asLong();
        }
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
