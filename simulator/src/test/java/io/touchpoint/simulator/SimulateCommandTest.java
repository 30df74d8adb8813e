package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.simulator.cli.SimulateCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateCommandTest {
  @TempDir Path tmp;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli =
        new CommandLine(new SimulateCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void smallRunWritesTheFilesAndPrintsCounts() {
    int code =
        run("--devices", "300", "--days", "1", "--seed", "5", "--quiet", "--out", tmp.toString());
    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("records by topic", "candidates by scenario", "malformed", "duplicates");
    assertThat(tmp.resolve("touchpoints.jsonl")).exists();
    assertThat(tmp.resolve("truth.jsonl")).exists();
    assertThat(tmp.resolve("manifest.json")).exists();
  }

  @Test
  void badValuesGiveAMessageNotAStackTrace() {
    assertThat(run("--devices", "0", "--out", tmp.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--devices must be between").doesNotContain("Exception");
  }

  @Test
  void unparseableValuesGiveAMessage() {
    assertThat(run("--start-date", "tomorrow", "--out", tmp.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--start-date").doesNotContain("\tat ");
    assertThat(run("--format", "csv", "--out", tmp.toString())).isEqualTo(2);
    assertThat(run("--malformed-share", "0.9", "--out", tmp.toString())).isEqualTo(2);
  }

  @Test
  void outIsRequiredAndHelpWorks() {
    assertThat(run("--devices", "10")).isEqualTo(2);
    assertThat(err.toString()).contains("--out");
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--seed", "--rate", "--format", "--bootstrap-servers");
  }

  @Test
  void rerunningIntoTheSameFolderReplacesTheFiles() throws Exception {
    run("--devices", "300", "--days", "1", "--seed", "5", "--quiet", "--out", tmp.toString());
    byte[] first = Files.readAllBytes(tmp.resolve("touchpoints.jsonl"));
    run("--devices", "300", "--days", "1", "--seed", "5", "--quiet", "--out", tmp.toString());
    assertThat(Files.readAllBytes(tmp.resolve("touchpoints.jsonl"))).isEqualTo(first);
  }
}
