package io.touchpoint.bench.stream;

import io.touchpoint.model.json.ContractJson;
import io.touchpoint.streaming.SpeedLayerQueries;
import io.touchpoint.streaming.StreamingConfig;
import io.touchpoint.streaming.StreamingJob;
import io.touchpoint.streaming.ops.CheckpointOffsets;
import io.touchpoint.streaming.ops.ProgressLogger;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.state.StateStore$;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * The bench's lake application, kept for the whole run: one JVM (one Spark session) that runs the
 * lake's queries ({@code queries = lake}) of one phase after another, so that its JIT, class
 * loading and Delta caches are warm from the first measured phase on, as in a deployment that runs
 * for days. Driven by {@link LakeProcess} through standard input, one command per line, fields
 * separated by tabs; each answer is one line on standard output starting with {@link #REPLY}:
 *
 * <ul>
 *   <li>{@code catchup <setting>...}: the lake's queries with these settings until caught up;
 *       answers {@code caught-up <json>} (records read, seconds, the process's CPU seconds);
 *   <li>{@code start <setting>...}: starts them and answers {@code started};
 *   <li>{@code stop}: stops the started queries and answers {@code stopped};
 *   <li>{@code exit} (or the end of the input): stops and ends the JVM.
 * </ul>
 *
 * A query that fails is announced as {@code failed <query>: <message>}; a command that fails
 * answers {@code error <message>}.
 */
public final class LakeServer {
  /** The prefix of every answer. */
  static final String REPLY = "lake-server: ";

  private final PrintStream out;
  private SparkSession spark;
  private SpeedLayerQueries running;

  /**
   * The queries the bench has stopped: {@code stop()} interrupts a batch in flight, which the
   * lake's writers report as an error; that is the stop, not a failure (the termination event
   * arrives later, on the listener bus).
   */
  private final java.util.Set<java.util.UUID> stopped =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private ProgressLogger progress;

  private LakeServer(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    exitWithParent();
    PrintStream out = System.out;
    LakeServer server = new LakeServer(out);
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        List<String> fields = Arrays.asList(line.split("\t"));
        String command = fields.get(0);
        if ("exit".equals(command)) {
          break;
        }
        try {
          server.answer(command, fields.subList(1, fields.size()));
        } catch (Exception e) {
          out.println(REPLY + "error " + String.valueOf(e.getMessage()).replace('\n', ' '));
          e.printStackTrace(out);
        }
      }
    } finally {
      server.shutdown();
    }
    System.exit(0);
  }

  /** How often the server checks that the bench's JVM still runs. */
  private static final long PARENT_CHECK_MS = 1000;

  /**
   * Ends this JVM at once when the bench's JVM has gone (killed, or timed out): a command in flight
   * (a catch-up) would otherwise keep it running on the run's removed topics.
   */
  private static void exitWithParent() {
    ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
    if (parent == null) {
      return;
    }
    Thread watch =
        new Thread(
            () -> {
              while (parent.isAlive()) {
                try {
                  Thread.sleep(PARENT_CHECK_MS);
                } catch (InterruptedException e) {
                  return;
                }
              }
              Runtime.getRuntime().halt(1);
            },
            "lake-server-parent-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private void answer(String command, List<String> settings) throws Exception {
    switch (command) {
      case "catchup" -> out.println(REPLY + "caught-up " + catchUp(lakeConfig(settings)));
      case "start" -> {
        stop();
        StreamingConfig config = lakeConfig(settings);
        SparkSession s = session(config);
        if (progress != null) {
          s.streams().removeListener(progress);
        }
        progress = new ProgressLogger(StreamingJob.queryNames(config));
        s.streams().addListener(progress);
        running = StreamingJob.start(s, config, false);
        out.println(REPLY + "started");
      }
      case "stop" -> {
        stop();
        out.println(REPLY + "stopped");
      }
      default -> throw new IllegalArgumentException("unknown command " + command);
    }
  }

  private static StreamingConfig lakeConfig(List<String> settings) {
    StreamingConfig config = StreamingConfig.load(null, settings);
    if (config.queries != StreamingConfig.Queries.LAKE) {
      throw new IllegalArgumentException("the lake server runs queries=lake only");
    }
    return config;
  }

  /** The first command's settings make the session; later commands reuse it (its spark.* stay). */
  private SparkSession session(StreamingConfig config) {
    if (spark == null) {
      spark = StreamingJob.session(config);
      spark.streams().addListener(new FailureReporter(out, stopped));
    }
    return spark;
  }

  /**
   * The lake's queries until caught up: records each read (from its checkpoint, exact), seconds,
   * this process's CPU seconds.
   */
  private String catchUp(StreamingConfig config) throws Exception {
    SparkSession s = session(config);
    long cpu0 = processCpuNanos();
    long t0 = System.nanoTime();
    int code = StreamingJob.run(s, config, StreamingJob.RunOptions.caughtUp());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", code);
    m.put("wall_s", (System.nanoTime() - t0) / 1e9);
    m.put("cpu_s", (processCpuNanos() - cpu0) / 1e9);
    m.put("ingest_rows", new CheckpointOffsets(s, config.ingestCheckpoint).consumed());
    m.put("speed_tables_rows", new CheckpointOffsets(s, config.speedTablesCheckpoint).consumed());
    return ContractJson.mapper().writeValueAsString(m);
  }

  /** This JVM's CPU time (all threads, user and system), ns. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private void stop() {
    if (running != null) {
      for (StreamingQuery q : running.all()) {
        stopped.add(q.id());
        try {
          q.stop();
        } catch (Exception e) {
          out.println("lake server: could not stop " + q.name() + ": " + e);
        }
      }
      running = null;
    }
  }

  private void shutdown() {
    stop();
    if (spark != null) {
      StateStore$.MODULE$.stop();
      spark.stop();
    }
  }

  /** Announces a query that ended with an error (the bench fails the phase). */
  private static final class FailureReporter extends StreamingQueryListener {
    private final PrintStream out;
    private final java.util.Set<java.util.UUID> stopped;

    FailureReporter(PrintStream out, java.util.Set<java.util.UUID> stopped) {
      this.out = out;
      this.stopped = stopped;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent e) {}

    @Override
    public void onQueryProgress(QueryProgressEvent e) {}

    @Override
    public void onQueryTerminated(QueryTerminatedEvent e) {
      if (e.exception().isDefined() && !stopped.contains(e.id())) {
        out.println(REPLY + "failed " + e.id() + ": " + e.exception().get().replace('\n', ' '));
      }
    }
  }
}
