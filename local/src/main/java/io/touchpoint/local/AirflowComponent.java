package io.touchpoint.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Airflow 3 in the project virtualenv. Nothing stays running: DAGs are exercised with {@code
 * airflow dags test} against {@code AIRFLOW_HOME=<data>/airflow}.
 */
final class AirflowComponent implements Component {

  private final StackConfig config;
  private final Downloads downloads;
  private volatile String version;

  AirflowComponent(StackConfig config, Downloads downloads) {
    this.config = config;
    this.downloads = downloads;
  }

  @Override
  public Service service() {
    return Service.AIRFLOW;
  }

  Path home() {
    return config.dataDir.resolve("airflow");
  }

  @Override
  public void prepare() {
    downloads.pip("airflow", config.repoRoot.resolve("local/python/requirements-airflow.txt"));
  }

  @Override
  public List<ManagedProcess> processes() {
    return List.of();
  }

  @Override
  public void afterStart() {
    version = airflowVersion();
  }

  /** Runs {@code airflow version}; null when it does not work. */
  String airflowVersion() {
    Path airflow = config.venvBin("airflow");
    if (!airflow.toFile().canExecute()) {
      return null;
    }
    try {
      ProcessBuilder pb =
          new ProcessBuilder(airflow.toString(), "version").redirectErrorStream(true);
      pb.environment().put("AIRFLOW_HOME", home().toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      String[] lines = out.split("\\R");
      return lines[lines.length - 1].trim();
    } catch (Exception e) {
      return null;
    }
  }

  @Override
  public boolean ready() {
    version = airflowVersion();
    return version != null;
  }

  @Override
  public String address() {
    return "installed "
        + (version == null ? "" : version + " ")
        + "at "
        + config.venvBin("airflow")
        + "  AIRFLOW_HOME="
        + home();
  }
}
