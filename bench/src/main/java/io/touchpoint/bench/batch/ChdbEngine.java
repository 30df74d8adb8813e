package io.touchpoint.bench.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.local.Console;
import io.touchpoint.local.Downloads;
import io.touchpoint.local.StackConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The ClickHouse engine's side: chDB (the same package the embedded stack runs, from the project
 * virtualenv, installed the way {@code ./touchpoint up} installs it) in a Python child process
 * running {@code chdb_asof.py} on the same Parquet files.
 */
final class ChdbEngine {
  /**
   * The measured query time and the whole child process's (interpreter start and import included).
   */
  record Run(double seconds, double processSeconds, String version) {}

  private final Path python;
  private final Path script;
  private final int threads;
  private final long maxMemory;

  private ChdbEngine(Path python, Path script, int threads, long maxMemory) {
    this.python = python;
    this.script = script;
    this.threads = threads;
    this.maxMemory = maxMemory;
  }

  /** Makes sure the virtualenv has chDB (pip, as the stack does), and unpacks the script. */
  static ChdbEngine prepare(Path workDir, int threads, long maxMemory) throws IOException {
    StackConfig stack = StackConfig.load();
    new Downloads(stack, Console.stdout())
        .pip("clickhouse", stack.repoRoot.resolve("local/python/requirements-clickhouse.txt"));
    Path script = workDir.resolve("chdb_asof.py");
    Files.createDirectories(workDir);
    try (InputStream in = ChdbEngine.class.getResourceAsStream("chdb_asof.py")) {
      Files.write(script, in.readAllBytes());
    }
    return new ChdbEngine(stack.venvBin("python"), script, threads, maxMemory);
  }

  Run asof(Path lake, Windows w, Path answers) throws IOException, InterruptedException {
    List<String> cmd =
        List.of(
            python.toString(),
            script.toString(),
            "--touches",
            DayGenerator.touchesDir(lake) + "/event_date=*/*.parquet",
            "--installs",
            DayGenerator.appEventsDir(lake) + "/event_date=*/*.parquet",
            "--out",
            answers.toString(),
            "--click-us",
            Long.toString(w.clickMicros()),
            "--view-us",
            Long.toString(w.viewMicros()),
            "--threads",
            Integer.toString(threads),
            "--max-memory",
            Long.toString(maxMemory));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int rc = p.waitFor();
    double processSeconds = (System.nanoTime() - t0) / 1e9;
    if (rc != 0) {
      throw new IOException("chdb_asof.py failed (exit " + rc + "): " + output.strip());
    }
    String last = output.strip().lines().reduce((a, b) -> b).orElse("");
    JsonNode json = new ObjectMapper().readTree(last);
    return new Run(
        json.get("seconds").asDouble(), processSeconds, json.get("chdb_version").asText());
  }
}
