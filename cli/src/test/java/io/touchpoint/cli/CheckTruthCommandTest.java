package io.touchpoint.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The main job of issue 2, end to end on a small population: simulate, attribute, compare. */
class CheckTruthCommandTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Touchpoint.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theSharedRulesAgreeWithTheGroundTruthAndEveryRuleIsCounted() {
    Run r = run("check-truth", "--devices", "4000", "--days", "2", "--seed", "11");
    assertThat(r.out()).contains("agreement: 100.00%");
    assertThat(r.exit()).isZero();
    assertThat(r.out())
        .contains(
            "INSTALL.ATTRIBUTED",
            "INSTALL.ORGANIC",
            "INSTALL.REJECTED",
            "REINSTALL.NOT_CREDITED",
            "RE_ATTRIBUTION.ATTRIBUTED",
            "RE_ENGAGEMENT.ATTRIBUTED",
            "DEVICE_ID",
            "REFERRER",
            "PROBABILISTIC",
            "IMPRESSION",
            "CTIT_BELOW_THRESHOLD",
            "CLICK_AFTER_INSTALL_BEGIN",
            "CLICK_FLOODING_SITE");
    assertThat(r.out()).containsPattern("malformed \\(([\\d,]+) with the expected reason\\)");
    // the window runs from the install that opened it: every three-install device agrees
    assertThat(r.out())
        .containsPattern("reinstall_after_first_window\\s+([1-9][\\d,]*) /\\s+\\1\\n");
    assertThat(r.out())
        .containsPattern("the attributor ignored [1-9][\\d,]* second copies of an event id\\)");
    assertThat(r.out()).containsPattern("day 1\\s+([1-9][\\d,]*) /\\s+\\1\\n");
    assertThat(r.out()).contains("retention agreement: 100.00%");
  }

  @Test
  void rulesThatDifferFromThePlannedOnesDisagreeAndFail() throws Exception {
    java.nio.file.Path rules = java.nio.file.Files.createTempFile("rules", ".conf");
    java.nio.file.Files.writeString(rules, "touchpoint.attribution.defaults.fraud.ctit-min = 0s\n");
    Run r =
        run(
            "check-truth",
            "--devices",
            "3000",
            "--days",
            "1",
            "--seed",
            "5",
            "--rules",
            rules.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).containsPattern("agreement: (?!100\\.00%)").contains("disagreements:");
  }

  @Test
  void aBadArgumentGetsAMessageNotAStackTrace() {
    Run r = run("check-truth", "--devices", "many");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err())
        .contains("Invalid value for option '--devices'")
        .doesNotContain("Exception");
    Run zero = run("check-truth", "--devices", "0");
    assertThat(zero.err())
        .contains("--devices and --days must be at least 1")
        .doesNotContain("\tat ");
  }

  @Test
  void aMissingDataFolderIsAClearFailure() {
    Run r = run("check-truth", "--data", "/nonexistent/sim");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("not a simulate output folder").contains("TOUCHPOINT_DEBUG");
  }
}
