package io.touchpoint.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * One operating-system process of the stack: how to start it, how to tell it is healthy, where it
 * logs, and its PID file ({@code <data>/run/<name>.pid}), so that a reused pid is never taken for
 * ours.
 *
 * <p>The PID file holds the pid, the start time in epoch milliseconds (for people) and the start
 * time in clock ticks since boot from {@code /proc/<pid>/stat}. The ticks decide: they never move,
 * whereas a start instant is derived from the wall clock's boot time, which shifts whenever the
 * clock is stepped (an NTP correction once moved it by ~100 s here and a live ClickHouse was taken
 * for a foreign process). Only without {@code /proc} (or for a PID file written before the ticks
 * were recorded) is the start instant compared, within {@link #START_INSTANT_TOLERANCE_MS}.
 */
public final class ManagedProcess {

  private static final Path SETSID = Path.of("/usr/bin/setsid");
  private static final String TICKS_PREFIX = "starttime-ticks=";
  static final long START_INSTANT_TOLERANCE_MS = 2000;

  /** 1-based position of {@code starttime} in {@code /proc/<pid>/stat} (proc(5)). */
  private static final int STARTTIME_FIELD = 22;

  private final String name;
  private final List<String> command;
  private final Path workDir;
  private final Map<String, String> env;
  private final Map<String, Integer> ports;
  private final BooleanSupplier healthy;
  private final StackConfig config;

  public ManagedProcess(
      StackConfig config,
      String name,
      List<String> command,
      Path workDir,
      Map<String, String> env,
      Map<String, Integer> ports,
      BooleanSupplier healthy) {
    this.config = config;
    this.name = name;
    this.command = List.copyOf(command);
    this.workDir = workDir;
    this.env = Map.copyOf(env);
    this.ports = new LinkedHashMap<>(ports);
    this.healthy = healthy;
  }

  public String name() {
    return name;
  }

  public Map<String, Integer> ports() {
    return ports;
  }

  public Path logFile() {
    return config.logDir().resolve(name + ".log");
  }

  public Path pidFile() {
    return config.runDir().resolve(name + ".pid");
  }

  /** The live process this stack started, if its PID file names one that still runs. */
  public Optional<ProcessHandle> running() {
    Path f = pidFile();
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(f);
      long pid = Long.parseLong(lines.get(0).trim());
      long startedMillis = Long.parseLong(lines.get(1).trim());
      OptionalLong recordedTicks =
          lines.size() > 2 && lines.get(2).startsWith(TICKS_PREFIX)
              ? OptionalLong.of(
                  Long.parseLong(lines.get(2).substring(TICKS_PREFIX.length()).trim()))
              : OptionalLong.empty();
      return ProcessHandle.of(pid)
          .filter(ProcessHandle::isAlive)
          .filter(h -> sameProcess(h, startedMillis, recordedTicks));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean sameProcess(ProcessHandle h, long startedMillis, OptionalLong ticks) {
    OptionalLong liveTicks = startTicks(h.pid());
    if (ticks.isPresent() && liveTicks.isPresent()) {
      return ticks.getAsLong() == liveTicks.getAsLong();
    }
    return h.info()
        .startInstant()
        .map(i -> Math.abs(i.toEpochMilli() - startedMillis) < START_INSTANT_TOLERANCE_MS)
        .orElse(true);
  }

  /**
   * The process's start time in clock ticks after boot (field 22 of {@code /proc/<pid>/stat}), or
   * empty off Linux or once it is gone.
   */
  static OptionalLong startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // field 2 is the command name in parentheses and may itself hold spaces or ')'
      String[] afterName = stat.substring(stat.lastIndexOf(')') + 1).trim().split(" +");
      return OptionalLong.of(Long.parseLong(afterName[STARTTIME_FIELD - 3]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  public boolean isHealthy() {
    try {
      return healthy.getAsBoolean();
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Fails with a hint when one of this process's ports is taken by something else. */
  public void checkPortsFree() {
    for (Map.Entry<String, Integer> p : ports.entrySet()) {
      if (!portFree(config.host, p.getValue())) {
        throw new StackException(
            name
                + ": port "
                + p.getValue()
                + " ("
                + p.getKey()
                + ") on "
                + config.host
                + " is already in use by another process",
            "find it with `ss -ltnp 'sport = :"
                + p.getValue()
                + "'`; stop it, or choose another port in "
                + "stack.conf / the matching TOUCHPOINT_*_PORT variable");
      }
    }
  }

  static boolean portFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts the process detached (its own session), output appended to its log. */
  public ProcessHandle start() {
    try {
      Files.createDirectories(config.logDir());
      Files.createDirectories(config.runDir());
      Files.createDirectories(workDir);
      List<String> cmd = new ArrayList<>();
      if (Files.isExecutable(SETSID)) {
        cmd.add(SETSID.toString()); // own session: a Ctrl-C in the launching shell leaves it alone
      }
      cmd.addAll(command);
      Files.writeString(
          logFile(),
          "---- "
              + Instant.now()
              + " starting "
              + name
              + ": "
              + String.join(" ", command)
              + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(env);
      Process p = pb.start();
      long started =
          p.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
      OptionalLong ticks = startTicks(p.pid());
      Files.writeString(
          pidFile(),
          p.pid()
              + "\n"
              + started
              + "\n"
              + (ticks.isPresent() ? TICKS_PREFIX + ticks.getAsLong() + "\n" : ""));
      return p.toHandle();
    } catch (IOException e) {
      throw new StackException(
          name + ": cannot start: " + e.getMessage(),
          "check that " + command.get(0) + " exists",
          null);
    }
  }

  /** Waits until healthy; fails with the log tail if the process exits or the time runs out. */
  public void awaitHealthy(ProcessHandle handle, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (isHealthy()) {
        return;
      }
      if (!handle.isAlive()) {
        throw new StackException(name + " exited during start-up", hintFromLog(), logTail(40));
      }
      sleep(250);
    }
    throw new StackException(
        name + " did not become healthy within " + timeout.toSeconds() + " s",
        hintFromLog() + "; it is left running: inspect it, then `down`",
        logTail(40));
  }

  private String hintFromLog() {
    String tail =
        logTail(200).lines().filter(l -> !l.startsWith("---- ")).reduce("", (a, b) -> a + b + "\n");
    if (tail.contains("Address already in use") || tail.contains("BindException")) {
      return "a port it needs is taken: see `ss -ltnp`, or change the ports in stack.conf";
    }
    if (tail.contains("OutOfMemoryError")) {
      return "it ran out of memory: raise its heap in stack.conf";
    }
    return "see the whole log: " + logFile();
  }

  /** Sends SIGTERM to the running process, if any; {@link #awaitStopped} finishes the stop. */
  public Optional<ProcessHandle> signalStop() {
    Optional<ProcessHandle> h = running();
    h.ifPresent(ProcessHandle::destroy);
    return h;
  }

  /**
   * Waits for the exit (SIGKILL at the deadline, a System.nanoTime value) and removes the PID file.
   */
  public void awaitStopped(Optional<ProcessHandle> handle, long deadline) {
    handle.ifPresent(
        p -> {
          while (p.isAlive() && System.nanoTime() < deadline) {
            sleep(100);
          }
          if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            long killDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (p.isAlive() && System.nanoTime() < killDeadline) {
              sleep(100);
            }
          }
        });
    try {
      Files.deleteIfExists(pidFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Resident memory of the running process in bytes (from /proc), or -1. */
  public long rssBytes() {
    return running().map(h -> rssOf(h.pid())).orElse(-1L);
  }

  /** Resident memory of the process and its descendants (a gunicorn master and its workers). */
  static long rssOf(long pid) {
    long own = rssOfOne(pid);
    if (own < 0) {
      return own;
    }
    return own
        + ProcessHandle.of(pid).stream()
            .flatMap(ProcessHandle::descendants)
            .mapToLong(h -> Math.max(0, rssOfOne(h.pid())))
            .sum();
  }

  private static long rssOfOne(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // not on Linux or gone: unknown
    }
    return -1;
  }

  public String logTail(int lines) {
    try {
      if (!Files.exists(logFile())) {
        return "(no log at " + logFile() + ")";
      }
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.ISO_8859_1);
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e.getMessage() + ")";
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted", "run it again");
    }
  }
}
