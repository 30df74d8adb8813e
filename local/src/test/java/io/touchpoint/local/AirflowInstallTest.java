package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EmbeddedStack(services = Service.AIRFLOW)
class AirflowInstallTest {

  @Test
  void airflowVersionRunsFromTheProjectVirtualenv(StackHandle stack) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(stack.config().venvBin("airflow").toString(), "version")
            .redirectErrorStream(true);
    pb.environment().put("AIRFLOW_HOME", stack.dataDir().resolve("airflow").toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out.strip().lines().reduce((a, b) -> b).orElse("")).startsWith("3.");
  }
}
