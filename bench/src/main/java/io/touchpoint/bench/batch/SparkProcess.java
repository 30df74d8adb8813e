package io.touchpoint.bench.batch;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.model.config.JobSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Starts {@link SparkRun} or {@link NightRun} in a child JVM (this JVM's class path and module
 * flags, the configured heap and JVM options, whose default is the batch's own collector): DuckDB,
 * chDB and Spark run one after the other in separate processes, so the 1x point's engines never
 * hold memory at the same time on a 24 GB machine.
 */
final class SparkProcess {
  private final String master;
  private final String heap;
  private final List<String> extraOptions;

  SparkProcess(String master, String heap, String extraOptions) {
    this.master = master;
    this.heap = heap;
    this.extraOptions =
        extraOptions.isBlank() ? List.of() : Arrays.asList(extraOptions.trim().split("\\s+"));
  }

  /**
   * Runs the point's attribute step (and its answers); returns its figures (see {@link SparkRun}).
   */
  Map<String, Object> attribute(
      Path lake, LocalDate day, Path answers, boolean sqlAsof, PrintStream out)
      throws IOException, InterruptedException {
    return run(
        SparkRun.class,
        List.of(
            lake.toString(), day.toString(), answers.toString(), master, Boolean.toString(sqlAsof)),
        out);
  }

  /** Runs the whole night on the point's lake; returns the step times (see {@link NightRun}). */
  Map<String, Object> night(Path lake, LocalDate day, PrintStream out)
      throws IOException, InterruptedException {
    return run(NightRun.class, List.of(lake.toString(), day.toString(), master), out);
  }

  private Map<String, Object> run(Class<?> main, List<String> args, PrintStream out)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx" + heap);
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Spark's module flags and system properties (spark.*); not the heap, GC or agents of this
      // (DuckDB-holding) JVM
      if (a.startsWith("--add-") || (a.startsWith("-D") && !a.startsWith("-Dtouchpoint."))) {
        cmd.add(a);
      }
    }
    // the launcher's home / the local-stack profile (set on the command line by ./touchpoint, or
    // programmatically by the test runner) choose the same settings profile in the child
    for (String key : List.of(JobSettings.LAUNCHER_HOME, JobSettings.PROFILE)) {
      String value = System.getProperty(key);
      if (value != null) {
        cmd.add("-D" + key + "=" + value);
      }
    }
    cmd.addAll(extraOptions);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(main.getName());
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String result = null;
    List<String> tail = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.startsWith(SparkRun.RESULT)) {
          result = line.substring(SparkRun.RESULT.length());
        } else if (!line.isBlank()) {
          tail.add(line);
          if (tail.size() > 40) {
            tail.remove(0);
          }
          if (!line.startsWith(" ") && !line.contains(" WARN ") && !line.startsWith("SLF4J")) {
            out.println("  spark: " + line);
            out.flush();
          }
        }
      }
    }
    int rc = p.waitFor();
    if (rc != 0 || result == null) {
      throw new IOException(
          main.getSimpleName() + " failed (exit " + rc + "):\n" + String.join("\n", tail));
    }
    return new ObjectMapper().readValue(result, new TypeReference<Map<String, Object>>() {});
  }
}
