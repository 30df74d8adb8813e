package io.touchpoint.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.bench.StackSpark;
import io.touchpoint.local.Console;
import io.touchpoint.local.Service;
import io.touchpoint.local.Stack;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@code ./touchpoint chaos}: the speed layer SIGKILLed 3 times at seeded
 * moments and the Kafka broker SIGKILLed and restarted under it; then the output topics and the
 * speed layer's Delta tables equal those of the run without faults.
 */
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
class ChaosRunTest {

  @Test
  void threeKillsAndABrokerRestartLeaveTheReferenceOutcome(StackHandle stack, @TempDir Path work)
      throws Exception {
    ChaosRun.Settings settings =
        new ChaosRun.Settings(
            200, 1, 14, 3, 1, 0, Duration.ofSeconds(60), 0, 0, Duration.ofSeconds(3), 2, "1g");
    SparkSession spark = StackSpark.session(stack.config());
    ChaosRun.Result r;
    try {
      r =
          new ChaosRun(
                  stack.config(),
                  new Stack(stack.config(), Console.stdout()),
                  stack.newBucket("chaos"),
                  settings,
                  work,
                  System.out)
              .run(spark);
    } finally {
      spark.stop();
    }
    assertThat(r.tally())
        .extracting(ChaosRun.Tally::kind, ChaosRun.Tally::injected, ChaosRun.Tally::recovered)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ChaosRun.STREAM_KILL, 3, 3),
            org.assertj.core.groups.Tuple.tuple(ChaosRun.BROKER, 1, 1));
    assertThat(r.comparisons()).hasSize(3 + LakeComparison.SPEED.size());
    assertThat(r.comparisons())
        .as("every topic and table as in the reference")
        .allSatisfy(c -> assertThat(c.identical()).as(c.toString()).isTrue());
    assertThat(r.comparisons())
        .as("the compared outputs are not empty")
        .filteredOn(c -> c.name().equals("attributions") || c.name().endsWith("attributions"))
        .allSatisfy(c -> assertThat(c.referenceRows()).isPositive());
    assertThat(r.holds()).isTrue();
  }
}
