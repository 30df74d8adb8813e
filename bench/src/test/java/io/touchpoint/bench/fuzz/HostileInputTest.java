package io.touchpoint.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.bench.StackSpark;
import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short version of {@code ./touchpoint bench fuzz}: a few hundred hostile records of every kind
 * (one megabyte string) among a small simulated day, through the speed layer.
 */
@EmbeddedStack(services = {Service.KAFKA, Service.S3})
class HostileInputTest {

  @Test
  void everyHostileRecordIsDeadLetteredWithAReasonAndValidVerdictsAreUnchanged(
      StackHandle stack, @TempDir Path work) throws Exception {
    FuzzRun.Stack where =
        new FuzzRun.Stack(
            stack.kafkaBootstrap(),
            stack.s3Endpoint(),
            stack.s3AccessKey(),
            stack.s3SecretKey(),
            stack.newBucket("fuzz"));
    FuzzRun.Settings settings = new FuzzRun.Settings(400, 2, 420, 400, 14, 2);
    SparkSession spark =
        StackSpark.session(stack.s3Endpoint(), stack.s3AccessKey(), stack.s3SecretKey());
    FuzzRun.Result r;
    try {
      r = new FuzzRun(where, settings, System.out).run(spark, work);
    } finally {
      spark.stop();
    }
    assertThat(r.hostileByKind()).hasSize(HostileRecords.Kind.values().length);
    assertThat(r.referenceExit()).isZero();
    assertThat(r.fuzzExit()).as("the run with hostile input ends normally").isZero();
    assertThat(r.missingFromDeadLetters())
        .as("hostile records missing from the dead-letter topic")
        .isEmpty();
    assertThat(r.missingFromQuarantine())
        .as("hostile records missing from the quarantine table")
        .isEmpty();
    assertThat(r.hostileInDeadLetterTopic()).isEqualTo(r.hostileRecords());
    assertThat(r.hostileInQuarantine()).isEqualTo(r.hostileRecords());
    assertThat(r.validInDeadLetters()).as("valid records dead-lettered").isZero();
    assertThat(r.deadLettersWithoutReason()).isZero();
    assertThat(r.referenceVerdicts()).isPositive();
    assertThat(r.fuzzVerdicts()).isEqualTo(r.referenceVerdicts());
    assertThat(r.verdictsDiffering())
        .as("verdicts that differ from the run without hostile input")
        .isZero();
    assertThat(r.fuzzCredited()).isEqualTo(r.referenceCredited());
    assertThat(r.creditedDiffering()).isZero();
    assertThat(r.holds()).isTrue();
  }
}
