package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PID file recognises our process across wall-clock steps and refuses a foreign one. */
class ManagedProcessPidFileTest {

  @TempDir Path data;
  private ManagedProcess sleeper;
  private ProcessHandle handle;

  @BeforeEach
  void startSleeper() {
    StackConfig config = StackConfig.load(null, data);
    sleeper =
        new ManagedProcess(
            config,
            "sleeper",
            List.of("sleep", "300"),
            data.resolve("work"),
            Map.of(),
            Map.of(),
            () -> true);
    handle = sleeper.start();
  }

  @AfterEach
  void stopSleeper() {
    sleeper.awaitStopped(
        sleeper.signalStop(), System.nanoTime() + Duration.ofSeconds(10).toNanos());
    handle.destroyForcibly();
  }

  @Test
  void theStartedProcessIsRecognisedAndItsPidFileRecordsStartTicks() throws Exception {
    List<String> lines = Files.readAllLines(sleeper.pidFile());
    assertThat(lines.get(0)).isEqualTo(Long.toString(handle.pid()));
    assertThat(lines.get(2))
        .isEqualTo("starttime-ticks=" + ManagedProcess.startTicks(handle.pid()).getAsLong());
    assertThat(sleeper.running()).map(ProcessHandle::pid).contains(handle.pid());
  }

  @Test
  void aWallClockStepAfterTheStartDoesNotMakeOurProcessForeign() throws Exception {
    // what a clock step does to the recorded instant as seen by a later JVM: it is off by ~100 s
    List<String> lines = Files.readAllLines(sleeper.pidFile());
    long stepped = Long.parseLong(lines.get(1)) - 102_000;
    Files.write(sleeper.pidFile(), List.of(lines.get(0), Long.toString(stepped), lines.get(2)));

    assertThat(sleeper.running()).map(ProcessHandle::pid).contains(handle.pid());
  }

  @Test
  void aReusedPidWithOtherStartTicksIsNotOurs() throws Exception {
    List<String> lines = Files.readAllLines(sleeper.pidFile());
    long ticks = ManagedProcess.startTicks(handle.pid()).getAsLong();
    Files.write(
        sleeper.pidFile(), List.of(lines.get(0), lines.get(1), "starttime-ticks=" + (ticks - 1)));

    assertThat(sleeper.running()).isEmpty();
    assertThat(sleeper.signalStop()).isEmpty(); // `down` must leave a foreign process alone
    assertThat(handle.isAlive()).isTrue();
  }

  @Test
  void aPidFileWithoutTicksFallsBackToTheStartInstant() throws Exception {
    List<String> lines = Files.readAllLines(sleeper.pidFile());
    Files.write(sleeper.pidFile(), lines.subList(0, 2));
    assertThat(sleeper.running()).map(ProcessHandle::pid).contains(handle.pid());

    long farOff = Long.parseLong(lines.get(1)) - 60_000;
    Files.write(sleeper.pidFile(), List.of(lines.get(0), Long.toString(farOff)));
    assertThat(sleeper.running()).isEmpty();
  }

  @Test
  void startTicksReadsAProcessWhoseNameHoldsSpacesAndParentheses() throws Exception {
    // the kernel's comm field is free text; the parser must count fields after the last ')'
    Path odd = data.resolve("a (b) c");
    Files.copy(Path.of("/bin/sleep"), odd);
    odd.toFile().setExecutable(true);
    long before = ManagedProcess.startTicks(handle.pid()).getAsLong();
    Process p = new ProcessBuilder(odd.toString(), "30").start();
    try {
      // started after the sleeper, within this test's few seconds (100 ticks a second)
      assertThat(ManagedProcess.startTicks(p.pid()).getAsLong()).isBetween(before, before + 3000);
    } finally {
      p.destroyForcibly().waitFor();
    }
  }
}
