package io.touchpoint.bench.stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.touchpoint.bench.ChildJvm;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.ops.CheckpointOffsets;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * The lake's queries (ingest, speed tables) as a Spark application of their own: one child JVM
 * ({@link LakeServer}) started once, under {@code nice} so that the OS gives the latency path's JVM
 * the cores first, and kept for the whole run. It first drains the catch-up backlog alone (its
 * warm-up, and the lake's own catch-up rate and CPU), then runs each live phase's lake queries in
 * turn. Their progress is read from their checkpoints ({@link CheckpointOffsets}), as the bench
 * reads the in-process queries' from their progress events.
 */
final class LakeProcess implements AutoCloseable {
  /**
   * How the bench starts it: OS priority (nice increment), heap, more JVM options, how long its
   * queries may take to start, how long a stop waits.
   */
  record Settings(
      int nice, String heap, List<String> javaOpts, Duration startWait, Duration stopWait) {}

  /** The lake's queries alone over a backlog: rows read by each, seconds, the JVM's CPU seconds. */
  record CatchUpOutcome(
      long ingestRows, long speedTablesRows, double wallSeconds, double cpuSeconds) {}

  private final Process process;
  private final Path log;
  private final Writer commands;
  private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final Settings how;
  private final SparkSession spark;
  private volatile String failure;

  private LakeProcess(Process process, Path log, Settings how, SparkSession spark) {
    this.process = process;
    this.log = log;
    this.how = how;
    this.spark = spark;
    this.commands =
        new BufferedWriter(
            new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    Thread reader = new Thread(this::copyOutput, "lake-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the lake JVM on this JVM's class path; its output goes to {@code log}. {@code spark}
   * (this JVM's session) reads its checkpoints.
   */
  static LakeProcess start(SparkSession spark, Settings how, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("nice", "-n", String.valueOf(how.nice())));
    cmd.addAll(ChildJvm.command(how.heap(), how.javaOpts(), LakeServer.class.getName(), List.of()));
    Files.createDirectories(log.getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    return new LakeProcess(p, log, how, spark);
  }

  int nice() {
    return how.nice();
  }

  /** The JVM's CPU time so far (all threads), ns. */
  long cpuNanos() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /**
   * The lake's queries of {@code settings} (queries=lake) until caught up, at most {@code wait}.
   */
  CatchUpOutcome catchUp(List<String> settings, Duration wait)
      throws IOException, InterruptedException {
    JsonNode m = ContractJson.mapper().readTree(command("catchup", settings, "caught-up", wait));
    if (m.get("code").asInt() != 0) {
      throw new IllegalStateException("the lake's catch-up failed, see " + log);
    }
    return new CatchUpOutcome(
        m.get("ingest_rows").asLong(),
        m.get("speed_tables_rows").asLong(),
        m.get("wall_s").asDouble(),
        m.get("cpu_s").asDouble());
  }

  /**
   * Starts the lake's queries of a live phase ({@code settings}, loaded as {@code job}) and waits
   * until both have started (each has written its checkpoint's {@code metadata}), so that the
   * lake's first batch is as early as when the queries run in the bench's JVM.
   */
  Queries startQueries(List<String> settings, StreamingConfig job)
      throws IOException, InterruptedException {
    command("start", settings, "started", how.startWait());
    Queries q = new Queries(job);
    long deadline = System.nanoTime() + how.startWait().toNanos();
    while (!Files.exists(local(job.ingestCheckpoint).resolve("metadata"))
        || !Files.exists(local(job.speedTablesCheckpoint).resolve("metadata"))) {
      failIfDead();
      if (System.nanoTime() > deadline) {
        q.close();
        throw new IllegalStateException(
            "the lake's queries did not start within " + how.startWait() + ", see " + log);
      }
      Thread.sleep(POLL.toMillis());
    }
    return q;
  }

  /** How often the start is checked. */
  private static final Duration POLL = Duration.ofMillis(200);

  /** One live phase's lake queries, followed through their checkpoints. */
  final class Queries implements AutoCloseable {
    private final CheckpointOffsets ingest;
    private final CheckpointOffsets speedTables;

    private Queries(StreamingConfig job) {
      this.ingest = new CheckpointOffsets(spark, job.ingestCheckpoint);
      this.speedTables = new CheckpointOffsets(spark, job.speedTablesCheckpoint);
    }

    /** Input records the ingest query's last committed batch read up to (0 before its first). */
    long ingestConsumed() {
      return ingest.consumed();
    }

    /** Output-topic records the speed-tables query's last committed batch read up to. */
    long speedTablesConsumed() {
      return speedTables.consumed();
    }

    /** The lake JVM's CPU time so far, ns. */
    long cpuNanos() {
      return LakeProcess.this.cpuNanos();
    }

    void failIfDead() {
      LakeProcess.this.failIfDead();
    }

    /** Stops the phase's queries (the JVM goes on). */
    @Override
    public void close() throws IOException, InterruptedException {
      command("stop", List.of(), "stopped", how.stopWait().plus(STOP_MARGIN));
    }
  }

  /** Time a stop may take beyond the batches' grace period (the queries' threads ending). */
  private static final Duration STOP_MARGIN = Duration.ofSeconds(60);

  /** Fails when the process has ended or one of its queries has failed. */
  void failIfDead() {
    if (failure != null) {
      throw new IllegalStateException("the lake's query failed: " + failure + ", see " + log);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "the lake's process ended (exit " + process.exitValue() + "), see " + log);
    }
  }

  /** Ends the JVM: {@code exit} (its queries stop), then SIGKILL after the wait. */
  @Override
  public void close() throws InterruptedException {
    try {
      commands.write("exit\n");
      commands.flush();
    } catch (IOException e) {
      // already gone
    }
    if (!process.waitFor(how.stopWait().plus(STOP_MARGIN).toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  private synchronized String command(
      String name, List<String> settings, String expect, Duration wait)
      throws IOException, InterruptedException {
    failIfDead();
    replies.clear();
    commands.write(name);
    for (String s : settings) {
      if (s.contains("\t") || s.contains("\n")) {
        throw new IllegalArgumentException("a setting with a tab or a line break: " + s);
      }
      commands.write("\t" + s);
    }
    commands.write("\n");
    commands.flush();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      String reply = replies.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
      if (reply == null) {
        failIfDead();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the lake's process did not answer " + name + " within " + wait + ", see " + log);
        }
      } else if (reply.startsWith(expect)) {
        return reply.substring(expect.length()).trim();
      } else if (reply.startsWith("error")) {
        throw new IllegalStateException("the lake's process: " + reply + ", see " + log);
      }
    }
  }

  /** Copies the JVM's output to the log; answers go to the queue, failures to {@link #failure}. */
  private void copyOutput() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer to = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        to.write(line);
        to.write('\n');
        to.flush();
        int at = line.indexOf(LakeServer.REPLY);
        if (at >= 0) {
          String reply = line.substring(at + LakeServer.REPLY.length());
          if (reply.startsWith("failed")) {
            failure = reply;
          } else {
            replies.add(reply);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
}
