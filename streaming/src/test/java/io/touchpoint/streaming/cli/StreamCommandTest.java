package io.touchpoint.streaming.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StreamCommandTest {

  private static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new StreamCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new String[] {String.valueOf(code), out.toString(), err.toString()};
  }

  @Test
  void helpNamesTheOptions() {
    String[] r = run("--help");
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1])
        .contains(
            "Usage: stream",
            "--until-caught-up",
            "--max-seconds",
            "--config",
            "--conf",
            "--rules",
            "--queries",
            "attribution",
            "lake");
  }

  @Test
  void badArgumentsFailWithoutStartingSpark() {
    assertThat(run("--max-seconds", "soon")[0]).isEqualTo("2");
    assertThat(run("--conf", "no-equals")[0]).isNotEqualTo("0");
    String[] queries = run("--queries", "bronze", "--print-config");
    assertThat(queries[0]).isNotEqualTo("0");
    assertThat(queries[2]).contains("queries must be all, attribution or lake");
  }
}
