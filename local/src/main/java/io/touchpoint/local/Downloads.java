package io.touchpoint.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * First-{@code up} downloads: engine jars through Maven ({@code dependency:copy-dependencies} on
 * the small POMs under {@code local/engines/}) and Python packages through pip into the project
 * virtualenv. Each is skipped when its marker says the same inputs were already installed.
 */
public final class Downloads {

  private static final String MARKER = ".touchpoint-complete";
  private final StackConfig config;
  private final Console console;

  public Downloads(StackConfig config, Console console) {
    this.config = config;
    this.console = console;
  }

  /**
   * Copies the runtime dependencies of {@code pom} into {@code target} unless already there.
   *
   * @param settings a Maven settings file for this download, or null
   */
  public void mavenJars(String what, Path pom, Path settings, Path target) {
    String digest = sha256(read(pom) + (settings == null ? "" : read(settings)));
    Path marker = target.resolve(MARKER);
    if (Files.isRegularFile(marker) && read(marker).trim().equals(digest)) {
      return;
    }
    long t0 = System.nanoTime();
    deleteTree(target);
    List<String> cmd = new ArrayList<>(List.of(maven(), "-B", "-f", pom.toString()));
    if (settings != null) {
      cmd.addAll(List.of("-s", settings.toString()));
    }
    cmd.addAll(
        List.of(
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            "-DoutputDirectory=" + target));
    console.step(what, "downloading jars with Maven (" + config.repoRoot.relativize(pom) + ") ...");
    Path log = config.logDir().resolve("download-" + what + ".log");
    run(what, cmd, log, line -> line.contains("Downloaded from"), "artifacts downloaded");
    long bytes = sizeOf(target);
    long jars = countFiles(target);
    write(marker, digest);
    console.step(
        what,
        jars
            + " jars, "
            + Console.mb(bytes)
            + " in "
            + target
            + " ("
            + Console.secondsSince(t0)
            + ")");
  }

  /** Creates the project virtualenv when missing. */
  public void venv() {
    venv(config.venv);
  }

  /** Creates a virtualenv when missing. */
  public void venv(Path venv) {
    if (Files.isExecutable(venv.resolve("bin/python"))) {
      return;
    }
    long t0 = System.nanoTime();
    console.step("python", "creating the virtualenv " + venv + " ...");
    run(
        "python",
        List.of(config.pythonBootstrap, "-m", "venv", venv.toString()),
        config.logDir().resolve("download-venv-" + venv.getFileName() + ".log"),
        l -> false,
        "");
    console.step("python", "virtualenv ready (" + Console.secondsSince(t0) + ")");
  }

  /** pip-installs a requirements file into the virtualenv unless the same file was installed. */
  public void pip(String what, Path requirements) {
    pip(what, requirements, config.venv);
  }

  /**
   * pip-installs a requirements file into the given virtualenv (created when missing) unless the
   * same file, and the constraints file beside it named {@code constraints-<what>.txt} if any, was
   * installed.
   */
  public void pip(String what, Path requirements, Path venv) {
    venv(venv);
    Path constraints = requirements.resolveSibling("constraints-" + what + ".txt");
    String digest =
        sha256(read(requirements) + (Files.isRegularFile(constraints) ? read(constraints) : ""));
    Path marker = venv.resolve(".touchpoint-" + requirements.getFileName());
    if (Files.isRegularFile(marker) && read(marker).trim().equals(digest)) {
      return;
    }
    long t0 = System.nanoTime();
    console.step(
        what,
        "installing "
            + config.repoRoot.relativize(requirements)
            + " into "
            + venv
            + " with pip ...");
    run(
        what,
        List.of(
            venv.resolve("bin/python").toString(),
            "-m",
            "pip",
            "install",
            "--progress-bar",
            "off",
            "--disable-pip-version-check",
            "-r",
            requirements.toString()),
        config.logDir().resolve("download-" + what + ".log"),
        line -> line.startsWith("  Downloading ") || line.startsWith("Downloading "),
        "packages downloaded");
    write(marker, digest);
    console.step(
        what,
        "installed (" + Console.secondsSince(t0) + ", venv now " + Console.mb(sizeOf(venv)) + ")");
  }

  private String maven() {
    Path wrapper = config.repoRoot.resolve("mvnw");
    return Files.isExecutable(wrapper) ? wrapper.toString() : "mvn";
  }

  /** Runs a download command, its output to {@code log}, a progress line every ~10 s. */
  private void run(
      String what,
      List<String> cmd,
      Path log,
      java.util.function.Predicate<String> counts,
      String unit) {
    try {
      Files.createDirectories(log.getParent());
      Process p =
          new ProcessBuilder(cmd)
              .directory(config.repoRoot.toFile())
              .redirectErrorStream(true)
              .start();
      AtomicInteger n = new AtomicInteger();
      long[] lastReport = {System.nanoTime()};
      long t0 = System.nanoTime();
      try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          PrintWriter w = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          w.println(line);
          if (counts.test(line)) {
            n.incrementAndGet();
          }
          if (!unit.isEmpty() && System.nanoTime() - lastReport[0] > 10_000_000_000L) {
            lastReport[0] = System.nanoTime();
            console.step(
                what, "... " + n.get() + " " + unit + " (" + Console.secondsSince(t0) + ")");
          }
        }
      }
      int rc = p.waitFor();
      if (rc != 0) {
        List<String> all = Files.readAllLines(log);
        throw new StackException(
            what + ": download failed (exit " + rc + ")",
            "see " + log + "; the registries may be unreachable",
            String.join(
                System.lineSeparator(), all.subList(Math.max(0, all.size() - 25), all.size())));
      }
    } catch (IOException e) {
      throw new StackException(
          what + ": cannot run " + cmd.get(0) + ": " + e.getMessage(), "install it or fix PATH");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException(what + ": interrupted", "run `up` again");
    }
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new StackException(
          "cannot read " + p + ": " + e.getMessage(), "is the checkout complete?");
    }
  }

  static void write(Path p, String s) {
    try {
      Files.createDirectories(p.getParent());
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new StackException(
          "cannot write " + p + ": " + e.getMessage(), "check the data directory");
    }
  }

  static void mkdirs(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StackException(
          "cannot create " + dir + ": " + e.getMessage(), "check the data directory");
    }
  }

  static long sizeOf(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return -1;
    }
  }

  static long countFiles(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".jar")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new StackException("cannot delete " + dir + ": " + e.getMessage(), "check permissions");
    }
  }
}
