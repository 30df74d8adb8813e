package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.cli.StackMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StackCommandLineTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = StackMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void helpListsTheThreeCommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("up", "down", "status");
    assertThat(run("up", "--help")).isZero();
    assertThat(out.toString()).contains("--only", "--data-dir");
  }

  @Test
  void anUnknownServiceGivesAMessageNotAStackTrace() {
    assertThat(run("up", "--only", "kafka,redis")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown service 'redis'").doesNotContain("\tat ");
  }

  @Test
  void aTakenPortFailsUpWithAHintBeforeAnyDownload(@TempDir Path data) throws Exception {
    try (ServerSocket squatter = new ServerSocket()) {
      squatter.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      Path conf = data.resolve("ports.conf");
      Files.writeString(conf, "touchpoint.stack.s3.port = " + squatter.getLocalPort());
      int rc =
          run("up", "--only", "s3", "--data-dir", data.toString(), "--config", conf.toString());
      assertThat(rc).isEqualTo(1);
      assertThat(err.toString())
          .contains("port " + squatter.getLocalPort(), "already in use", "hint:");
      assertThat(data.resolve("lib")).doesNotExist();
    }
  }

  @Test
  void statusOfAStackNeverStartedSaysDown(@TempDir Path data) {
    assertThat(run("status", "--only", "kafka", "--data-dir", data.toString())).isEqualTo(3);
    assertThat(out.toString()).containsPattern("kafka\\s+down");
  }
}
