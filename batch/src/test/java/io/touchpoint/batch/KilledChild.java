package io.touchpoint.batch;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A job's main run in a JVM of its own (local Spark, this test JVM's classpath and module opens)
 * and SIGKILLed as soon as it prints a line starting with a given prefix: a crash at a known point
 * of a real run.
 */
public final class KilledChild {
  private KilledChild() {}

  /** Runs {@code main args} until the line; returns everything the child printed. */
  public static String runUntil(Class<?> main, List<String> args, String killAtLinePrefix)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("-Djdk.")
          || arg.startsWith("-Dio.netty")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-Dspark.master=local[2]",
            "-Dspark.ui.enabled=false",
            "-Dspark.sql.shuffle.partitions=2",
            "-Dspark.driver.host=127.0.0.1",
            "-Dspark.driver.bindAddress=127.0.0.1",
            "-cp",
            System.getProperty("java.class.path"),
            main.getName()));
    command.addAll(args);
    Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
    StringBuilder log = new StringBuilder();
    try (var reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.append(line).append('\n');
        if (line.startsWith(killAtLinePrefix)) {
          child.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
          break;
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(60, TimeUnit.SECONDS);
    }
    return log.toString();
  }
}
