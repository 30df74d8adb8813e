package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A killed service is reported down, and {@code up} restarts it alone. */
@Tag("heavy")
@EmbeddedStack(services = {Service.S3, Service.CLICKHOUSE})
class RestartOnlyWhatDiedTest {

  @Test
  void aKilledServiceIsReportedDownAndUpRestartsOnlyIt(StackHandle stack) throws Exception {
    Stack s = new Stack(stack.config(), Console.stdout());
    Set<Service> both = EnumSet.of(Service.S3, Service.CLICKHOUSE);
    long pid =
        Long.parseLong(
            Files.readAllLines(stack.config().runDir().resolve("clickhouse.pid")).get(0));
    long s3Pid =
        Long.parseLong(Files.readAllLines(stack.config().runDir().resolve("s3.pid")).get(0));

    ProcessHandle victim = ProcessHandle.of(pid).orElseThrow();
    victim.destroyForcibly(); // SIGKILL: no clean shutdown, the PID file stays behind
    victim.onExit().get(10, TimeUnit.SECONDS);

    assertThat(s.status(both))
        .anySatisfy(
            st -> {
              assertThat(st.service()).isEqualTo(Service.CLICKHOUSE);
              assertThat(st.up()).isFalse();
            })
        .anySatisfy(
            st -> {
              assertThat(st.service()).isEqualTo(Service.S3);
              assertThat(st.up()).isTrue();
            });

    Map<Service, Stack.Outcome> outcomes = s.up(both);
    assertThat(outcomes)
        .containsEntry(Service.S3, Stack.Outcome.ALREADY_RUNNING)
        .containsEntry(Service.CLICKHOUSE, Stack.Outcome.STARTED);
    assertThat(s.isUp(both)).isTrue();
    assertThat(Long.parseLong(Files.readAllLines(stack.config().runDir().resolve("s3.pid")).get(0)))
        .isEqualTo(s3Pid);
    assertThat(
            Long.parseLong(
                Files.readAllLines(stack.config().runDir().resolve("clickhouse.pid")).get(0)))
        .isNotEqualTo(pid);
  }
}
