package io.touchpoint.bench.chaos;

import io.touchpoint.bench.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One job (speed layer, batch, ClickHouse load) as a child JVM, run as an operator would run it:
 * its own process, so that SIGKILL stops it without a chance to clean up. Its output goes to a log
 * file; lines that mark progress (a micro-batch committed, a batch step done, a table loaded) are
 * counted as they arrive, so that a fault can be aimed at a job that is working.
 */
final class ChildJob {
  private final String name;
  private final Process process;
  private final Predicate<String> progress;
  private final long startedNanos = System.nanoTime();
  private final Thread reader;
  private volatile int progressLines;
  private volatile long lastProgressNanos;
  private volatile String lastLine = "";

  private ChildJob(String name, Process process, Path log, Predicate<String> progress) {
    this.name = name;
    this.process = process;
    this.progress = progress;
    this.reader = new Thread(() -> copy(log), "chaos-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts {@code mainClass} with {@code args} on this JVM's class path, with its module opens and
   * the {@code touchpoint.*} system properties (profile, home), and {@code heap} as -Xmx.
   */
  static ChildJob start(
      String name,
      String mainClass,
      List<String> args,
      String heap,
      Path logDir,
      Predicate<String> progress) {
    List<String> cmd = ChildJvm.command(heap, List.of(), mainClass, args);
    try {
      Files.createDirectories(logDir);
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      return new ChildJob(name, p, logDir.resolve(name + ".log"), progress);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  private void copy(Path log) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (progress.test(line)) {
          lastLine = line;
          lastProgressNanos = System.nanoTime();
          progressLines++;
        }
      }
    } catch (IOException e) {
      // the process died (SIGKILL): its output simply ends
    }
  }

  String name() {
    return name;
  }

  int progressLines() {
    return progressLines;
  }

  /** The last progress line, e.g. the batch step that ran when the job was killed. */
  String lastProgress() {
    return lastLine;
  }

  long lastProgressNanos() {
    return lastProgressNanos;
  }

  long startedNanos() {
    return startedNanos;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until the job has logged more than {@code before} progress lines; false when it ended or
   * the timeout passed first.
   */
  boolean awaitProgress(int before, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (progressLines <= before && System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        reader.join(5_000);
        return progressLines > before;
      }
      Thread.sleep(50);
    }
    return progressLines > before;
  }

  /** SIGKILL: no shutdown hook, no graceful stop. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(60, TimeUnit.SECONDS);
    reader.join(5_000);
  }

  /** The exit code, or -1 when it did not end within the timeout (then it is killed). */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      return -1;
    }
    reader.join(5_000);
    return process.exitValue();
  }
}
