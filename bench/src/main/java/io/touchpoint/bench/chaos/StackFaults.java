package io.touchpoint.bench.chaos;

import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.concurrent.TimeUnit;

/**
 * Faults of the embedded stack's services, through its own process management (PID files under the
 * run folder, {@link Stack#up} and {@link Stack#down}): the Kafka broker SIGKILLed and restarted,
 * the S3 API server stopped for a while and started again.
 */
final class StackFaults {
  private final StackConfig config;
  private final Stack stack;

  StackFaults(StackConfig config, Stack stack) {
    this.config = config;
    this.stack = stack;
  }

  /**
   * SIGKILLs the broker (no controlled shutdown, logs recovered at start), then starts it again.
   */
  void killAndRestartBroker(Duration down) throws InterruptedException {
    ProcessHandle broker = ProcessHandle.of(pid("kafka")).orElseThrow();
    broker.descendants().forEach(ProcessHandle::destroyForcibly);
    broker.destroyForcibly();
    try {
      broker.onExit().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the broker did not die on SIGKILL", e);
    }
    Thread.sleep(down.toMillis());
    stack.up(EnumSet.of(Service.KAFKA));
  }

  /** Stops the S3 API server, keeps it down for {@code outage}, starts it again (data kept). */
  void stopS3For(Duration outage) throws InterruptedException {
    stack.down(EnumSet.of(Service.S3), false);
    Thread.sleep(outage.toMillis());
    stack.up(EnumSet.of(Service.S3));
  }

  private long pid(String service) {
    Path file = config.runDir().resolve(service + ".pid");
    try {
      return Long.parseLong(Files.readAllLines(file).get(0).trim());
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException(
          "no running " + service + " of the embedded stack (" + file + ")", e);
    }
  }
}
