package io.touchpoint.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Apache Superset on 127.0.0.1 in its own virtualenv (gunicorn, SQLite metadata in {@code
 * <data>/superset}). {@code local/python/touchpoint_stack/superset_setup.py} writes its
 * configuration (secret key generated per install), migrates the metadata, creates the admin and
 * the read-only analyst, and imports the dashboards bundle ({@code serving/superset/bundle}) with
 * the configured ClickHouse URI. It runs before every start and again on an {@code up} that finds
 * Superset running when the bundle or the setup changed (a digest in {@code <data>/superset}).
 */
final class SupersetComponent implements Component {

  private static final long SETUP_TIMEOUT_MINUTES = 10;
  private final StackConfig config;
  private final Downloads downloads;
  private final Console console;
  private final ManagedProcess process;

  SupersetComponent(StackConfig config, Downloads downloads, Console console) {
    this.config = config;
    this.downloads = downloads;
    this.console = console;
    this.process =
        new ManagedProcess(
            config,
            "superset",
            List.of(
                bin("gunicorn").toString(),
                "--bind",
                config.host + ":" + config.supersetPort,
                "--workers",
                Integer.toString(config.supersetWorkers),
                "--worker-class",
                "gthread",
                "--threads",
                Integer.toString(config.supersetThreads),
                "--timeout",
                "120",
                "--access-logfile",
                "-",
                "superset.app:create_app()"),
            home(),
            environment(),
            Map.of("http", config.supersetPort),
            this::healthy);
  }

  @Override
  public Service service() {
    return Service.SUPERSET;
  }

  Path home() {
    return config.dataDir.resolve("superset");
  }

  private Path bin(String tool) {
    return config.supersetVenv.resolve("bin").resolve(tool);
  }

  private Path bundle() {
    return config.repoRoot.resolve("serving/superset/bundle");
  }

  private Path setupScript() {
    return config.repoRoot.resolve("local/python/touchpoint_stack/superset_setup.py");
  }

  private Map<String, String> environment() {
    return Map.of(
        "SUPERSET_CONFIG_PATH",
        home().resolve("superset_config.py").toString(),
        "PYTHONPATH",
        config.repoRoot.resolve("local/python").toString(),
        // Superset 6.1 warns about SQLite metadata and pandas on every import
        "PYTHONWARNINGS",
        "ignore",
        "PYTHONUNBUFFERED",
        "1");
  }

  @Override
  public void prepare() {
    downloads.pip(
        "superset",
        config.repoRoot.resolve("local/python/requirements-superset.txt"),
        config.supersetVenv);
    provision();
  }

  @Override
  public void refresh() {
    if (!provisioningDigest().equals(readMarker())) {
      provision();
    }
  }

  /**
   * Runs superset_setup.py: configuration, metadata schema, users and roles, the bundle.
   * Idempotent.
   */
  private void provision() {
    long t0 = System.nanoTime();
    List<String> cmd =
        new ArrayList<>(
            List.of(
                bin("python").toString(),
                "-m",
                "touchpoint_stack.superset_setup",
                "--home",
                home().toString(),
                "--port",
                Integer.toString(config.supersetPort)));
    if (Files.isDirectory(bundle())) {
      cmd.addAll(
          List.of(
              "--bundle", bundle().toString(), "--clickhouse-uri", config.supersetClickhouseUri));
    }
    Path log = config.logDir().resolve("superset-setup.log");
    try {
      Files.createDirectories(home());
      Files.createDirectories(config.logDir());
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(home().toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile());
      pb.environment().putAll(environment());
      Process p = pb.start();
      if (!p.waitFor(SETUP_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new StackException(
            "Superset setup did not finish in " + SETUP_TIMEOUT_MINUTES + " min", "see " + log);
      }
      if (p.exitValue() != 0) {
        throw new StackException(
            "Superset setup failed (exit " + p.exitValue() + ")", "see " + log, tail(log));
      }
      Files.writeString(marker(), provisioningDigest());
    } catch (IOException e) {
      throw new StackException("cannot run Superset setup: " + e.getMessage(), "see " + log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted during Superset setup", "run up again");
    }
    console.step(
        "superset",
        "provisioned: admin, analyst (read-only), dashboards bundle on "
            + config.supersetClickhouseUri
            + " ("
            + Console.secondsSince(t0)
            + ")");
  }

  private Path marker() {
    return home().resolve("provisioned.sha256");
  }

  private String readMarker() {
    try {
      return Files.isRegularFile(marker()) ? Files.readString(marker()).trim() : "";
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Digest of what provisioning depends on: the setup script, every bundle file, the URI and port.
   */
  private String provisioningDigest() {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(
          (config.supersetClickhouseUri + "|" + config.supersetPort)
              .getBytes(StandardCharsets.UTF_8));
      md.update(Files.readAllBytes(setupScript()));
      if (Files.isDirectory(bundle())) {
        try (Stream<Path> files = Files.walk(bundle())) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            md.update(bundle().relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(f));
          }
        }
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException | NoSuchAlgorithmException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return null;
    }
  }

  private boolean healthy() {
    Http.Response r = Http.get(config.supersetUrl() + "/health");
    return r.ok() && r.body().trim().equals("OK");
  }

  @Override
  public List<ManagedProcess> processes() {
    return List.of(process);
  }

  @Override
  public void afterStart() {
    // provisioning ran before the start (SQLite metadata: no concurrent writers)
  }

  @Override
  public boolean ready() {
    return healthy();
  }

  @Override
  public String address() {
    return config.supersetUrl()
        + "/  users admin and analyst (read-only), passwords in "
        + home().resolve("admin.password").getFileName()
        + " / analyst.password under "
        + home();
  }
}
