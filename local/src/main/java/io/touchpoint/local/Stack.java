package io.touchpoint.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts, checks and stops the embedded stack. {@code up} is idempotent: healthy services are left
 * alone, dead ones are restarted; {@code down} stops what the PID files name. Concurrent callers
 * (two test JVMs, a shell) are serialized by a lock file in {@code <data>/run}.
 */
public final class Stack {

  private static final ReentrantLock JVM_LOCK = new ReentrantLock();

  /** SIGTERM first; SIGKILL for what is still alive after this. */
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private final StackConfig config;
  private final Console console;
  private final Map<Service, Component> components = new EnumMap<>(Service.class);

  public Stack(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
    Downloads downloads = new Downloads(config, console);
    components.put(Service.KAFKA, new KafkaComponent(config, downloads, console));
    components.put(Service.S3, new S3Component(config, downloads, console));
    components.put(Service.CLICKHOUSE, new ClickHouseComponent(config, downloads));
    components.put(Service.DRUID, new DruidComponent(config, downloads));
    components.put(Service.AIRFLOW, new AirflowComponent(config, downloads));
    components.put(Service.SUPERSET, new SupersetComponent(config, downloads, console));
  }

  public StackConfig config() {
    return config;
  }

  /** What one {@code up} did to one service. */
  public enum Outcome {
    ALREADY_RUNNING,
    STARTED,
    RESTARTED
  }

  /** Brings the given services (and what they require) up; returns what was done per service. */
  public Map<Service, Outcome> up(Set<Service> wanted) {
    return locked(
        () -> {
          long t0 = System.nanoTime();
          Map<Service, Outcome> outcomes = new LinkedHashMap<>();
          for (Service s : Service.withRequirements(wanted)) {
            outcomes.put(s, upOne(components.get(s)));
          }
          writeStackJson();
          console.step(
              "stack", "up: " + describe(outcomes) + " (" + Console.secondsSince(t0) + ")");
          return outcomes;
        });
  }

  private Outcome upOne(Component c) {
    String id = c.service().id();
    long t0 = System.nanoTime();
    List<ManagedProcess> procs = c.processes();
    if (procs.isEmpty()) {
      c.prepare(); // a tool: its install marker makes this cheap when nothing changed
    }
    boolean allRunning = procs.stream().allMatch(p -> p.running().isPresent());
    if (allRunning && procs.stream().allMatch(ManagedProcess::isHealthy) && c.ready()) {
      c.refresh();
      console.step(id, "already up: " + c.address());
      return Outcome.ALREADY_RUNNING;
    }
    for (ManagedProcess p : procs) {
      if (p.running().isEmpty()) {
        p.checkPortsFree(); // before any download: a taken port fails fast
      }
    }
    if (!procs.isEmpty()) {
      c.prepare();
    }
    boolean anyWasDown = false;
    boolean anyRunning = false;
    List<Map.Entry<ManagedProcess, ProcessHandle>> started = new ArrayList<>();
    for (ManagedProcess p : procs) {
      Optional<ProcessHandle> running = p.running();
      if (running.isPresent()) {
        anyRunning = true;
        continue; // running (perhaps still starting): awaited below with the rest
      }
      anyWasDown = true;
      p.checkPortsFree();
      ProcessHandle h = p.start();
      console.step(
          p.name(), "started pid " + h.pid() + ", log " + config.dataDir.relativize(p.logFile()));
      started.add(Map.entry(p, h));
      if (p.name().equals("druid-zookeeper")) {
        p.awaitHealthy(h, timeout()); // the Druid services need it to register
      }
    }
    for (ManagedProcess p : procs) {
      ProcessHandle h =
          p.running()
              .orElseThrow(
                  () ->
                      new StackException(
                          p.name() + " exited during start-up",
                          "see " + p.logFile(),
                          p.logTail(40)));
      long tp = System.nanoTime();
      p.awaitHealthy(h, timeout());
      if (started.stream().anyMatch(e -> e.getKey() == p)) {
        console.step(
            p.name(),
            "healthy (" + Console.secondsSince(tp) + " more), RSS " + Console.mb(p.rssBytes()));
      }
    }
    c.afterStart();
    awaitReady(c);
    console.step(id, "up in " + Console.secondsSince(t0) + ": " + c.address());
    return anyRunning && anyWasDown ? Outcome.RESTARTED : Outcome.STARTED;
  }

  private void awaitReady(Component c) {
    long deadline = System.nanoTime() + timeout().toNanos();
    while (!c.ready()) {
      if (System.nanoTime() > deadline) {
        String tails =
            c.processes().isEmpty()
                ? null
                : c.processes().get(c.processes().size() - 1).logTail(30);
        throw new StackException(
            c.service().id() + " is running but not ready after " + timeout().toSeconds() + " s",
            "see the logs in " + config.logDir(),
            tails);
      }
      ManagedProcess.sleep(500);
    }
  }

  private Duration timeout() {
    return Duration.ofSeconds(config.startTimeoutSeconds);
  }

  /** Stops the given services' processes (reverse start order); deletes their data with wipe. */
  public void down(Set<Service> which, boolean wipe) {
    locked(
        () -> {
          long t0 = System.nanoTime();
          List<Service> order = new ArrayList<>(which);
          java.util.Collections.reverse(order);
          if (order.contains(Service.S3)
              && !which.contains(Service.DRUID)
              && anyRunning(Service.DRUID)) {
            console.step("s3", "note: Druid is still running and uses S3 for deep storage");
          }
          for (Service s : order) {
            Component c = components.get(s);
            for (List<ManagedProcess> wave : c.stopWaves()) {
              long tp = System.nanoTime();
              long deadline = tp + STOP_GRACE.toNanos();
              Map<ManagedProcess, Optional<ProcessHandle>> signalled = new LinkedHashMap<>();
              for (ManagedProcess p : wave) {
                signalled.put(p, p.signalStop());
              }
              signalled.forEach(
                  (p, h) -> {
                    p.awaitStopped(h, deadline);
                    if (h.isPresent()) {
                      console.step(p.name(), "stopped (" + Console.secondsSince(tp) + ")");
                    }
                  });
            }
            if (wipe) {
              wipe(s);
            }
          }
          if (wipe && which.containsAll(EnumSet.allOf(Service.class))) {
            Downloads.deleteTree(config.dataDir.resolve("run/stack.json"));
          }
          console.step(
              "stack",
              "down: "
                  + order.stream().map(Service::id).toList()
                  + (wipe ? ", data wiped" : ", data kept in " + config.dataDir)
                  + " ("
                  + Console.secondsSince(t0)
                  + ")");
          return null;
        });
  }

  private void wipe(Service s) {
    List<Path> dirs =
        switch (s) {
          // the speed layer's checkpoints (streaming-local-stack.conf) hold offsets into these
          // topics
          // and transaction ids of these lake tables: stale once either is gone
          case KAFKA ->
              List.of(config.dataDir.resolve("kafka"), config.dataDir.resolve("checkpoints"));
          case S3 -> List.of(config.dataDir.resolve("s3"), config.dataDir.resolve("checkpoints"));
          case CLICKHOUSE -> List.of(config.dataDir.resolve("clickhouse"));
          case DRUID -> List.of(config.dataDir.resolve("druid"));
          case AIRFLOW -> List.of(config.dataDir.resolve("airflow"));
          case SUPERSET -> List.of(config.dataDir.resolve("superset"));
        };
    for (Path d : dirs) {
      Downloads.deleteTree(d);
      console.step(s.id(), "wiped " + d);
    }
  }

  private boolean anyRunning(Service s) {
    return components.get(s).processes().stream().anyMatch(p -> p.running().isPresent());
  }

  /** One service's state as {@code status} reports it. */
  public record ServiceStatus(
      Service service, boolean up, String detail, List<ProcessStatus> processes) {}

  public record ProcessStatus(
      String name, Long pid, boolean healthy, long rssBytes, Map<String, Integer> ports) {}

  public List<ServiceStatus> status(Set<Service> which) {
    List<ServiceStatus> out = new ArrayList<>();
    for (Service s : which) {
      Component c = components.get(s);
      List<ProcessStatus> ps = new ArrayList<>();
      boolean allUp = true;
      for (ManagedProcess p : c.processes()) {
        Optional<ProcessHandle> h = p.running();
        boolean healthy = h.isPresent() && p.isHealthy();
        allUp &= healthy;
        ps.add(
            new ProcessStatus(
                p.name(),
                h.map(ProcessHandle::pid).orElse(null),
                healthy,
                h.map(x -> ManagedProcess.rssOf(x.pid())).orElse(-1L),
                p.ports()));
      }
      boolean up = allUp && c.ready();
      out.add(
          new ServiceStatus(
              s, up, up ? c.address() : c.processes().isEmpty() ? "not installed" : "down", ps));
    }
    return out;
  }

  /** True when every given service is up. */
  public boolean isUp(Set<Service> which) {
    return status(which).stream().allMatch(ServiceStatus::up);
  }

  /** Addresses for clients in other languages: {@code <data>/run/stack.json}. */
  private void writeStackJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data_dir", config.dataDir.toString());
    m.put("host", config.host);
    m.put(
        "kafka",
        Map.of(
            "bootstrap",
            config.kafkaBootstrap(),
            "topics",
            config.kafkaTopics,
            "partitions",
            config.kafkaPartitions));
    m.put(
        "s3",
        Map.of(
            "endpoint",
            config.s3Endpoint(),
            "access_key",
            config.s3AccessKey,
            "secret_key",
            config.s3SecretKey,
            "region",
            config.s3Region,
            "bucket",
            config.s3Bucket));
    m.put(
        "clickhouse",
        Map.of(
            "url",
            config.clickhouseUrl(),
            "analyst_user",
            ClickHouseUsers.ANALYST,
            "analyst_password_file",
            new ClickHouseUsers(config.dataDir.resolve("clickhouse"))
                .analystPasswordFile()
                .toString()));
    m.put(
        "druid",
        Map.of(
            "router",
            config.druidRouterUrl(),
            "broker",
            config.druidBrokerUrl(),
            "coordinator",
            config.druidCoordinatorUrl()));
    m.put("python", Map.of("venv", config.venv.toString()));
    m.put("airflow", Map.of("home", config.dataDir.resolve("airflow").toString()));
    m.put(
        "superset",
        Map.of(
            "url",
            config.supersetUrl(),
            "home",
            config.dataDir.resolve("superset").toString(),
            "venv",
            config.supersetVenv.toString()));
    try {
      Files.createDirectories(config.runDir());
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(config.runDir().resolve("stack.json").toFile(), m);
    } catch (IOException e) {
      throw new StackException(
          "cannot write stack.json: " + e.getMessage(), "check the data directory");
    }
  }

  private static String describe(Map<Service, Outcome> o) {
    List<String> parts = new ArrayList<>();
    o.forEach(
        (s, r) ->
            parts.add(
                s.id()
                    + switch (r) {
                      case ALREADY_RUNNING -> " already up";
                      case STARTED -> " started";
                      case RESTARTED -> " restarted";
                    }));
    return String.join(", ", parts);
  }

  private <T> T locked(java.util.function.Supplier<T> body) {
    JVM_LOCK.lock();
    try {
      Files.createDirectories(config.runDir());
      try (FileChannel ch =
          FileChannel.open(
              config.runDir().resolve("stack.lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE)) {
        FileLock lock = ch.tryLock();
        if (lock == null) {
          console.step("stack", "waiting for another up/down on " + config.dataDir + " ...");
          lock = ch.lock();
        }
        try {
          return body.get();
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new StackException(
          "cannot lock " + config.runDir() + ": " + e.getMessage(), "check the data directory");
    } finally {
      JVM_LOCK.unlock();
    }
  }
}
