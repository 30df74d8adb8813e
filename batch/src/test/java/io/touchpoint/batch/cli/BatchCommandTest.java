package io.touchpoint.batch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BatchCommandTest {

  @Test
  void helpNamesEveryOption() {
    StringWriter text = new StringWriter();
    CommandLine cli = new CommandLine(new BatchCommand());
    cli.setOut(new PrintWriter(text));
    assertThat(cli.execute("--help")).isZero();
    assertThat(text.toString())
        .contains(
            "Usage: batch",
            "--date",
            "--steps",
            "--through",
            "--lake",
            "--rules",
            "--recompute-marked",
            "--conf",
            "default:");
  }

  @Test
  void aMissingOrBadDateIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BatchCommand());
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute()).isEqualTo(2);
    assertThat(err.toString()).contains("--date");
    assertThat(cli.execute("--date", "yesterday")).isEqualTo(2);
    assertThat(err.toString()).contains("not a date");
  }

  @Test
  void anUnknownStepIsAUsageErrorBeforeAnySparkWork() {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new BatchCommand());
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute("--date", "2026-01-01", "--steps", "compact,atribute")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown step(s) [atribute]", "Usage: batch");
  }
}
