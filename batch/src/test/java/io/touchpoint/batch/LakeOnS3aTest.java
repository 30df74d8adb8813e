package io.touchpoint.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.batch.steps.ExportStep;
import io.touchpoint.local.Service;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.LakeTables;
import io.touchpoint.model.spark.ContractRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The same job on s3a:// against the embedded stack's S3Proxy, as ./touchpoint batch runs it
 * locally.
 */
@EmbeddedStack(services = Service.S3)
class LakeOnS3aTest {
  private static final LocalDate FIRST = LocalDate.of(2026, 5, 10);

  @Test
  void twoDaysOnS3aAgreeWithTheReference(StackHandle stack) throws Exception {
    SparkSession spark = TestLake.spark(stack.s3aConf());
    Path rules = Files.createTempFile("rules", ".conf");
    try {
      String lake = "s3a://" + stack.lakeBucket() + "/" + stack.uniqueName("batch");
      ScenarioData scenario = new ScenarioData(FIRST, 2, 7);
      Files.writeString(rules, ScenarioData.RULES);
      TestLake.appendBronze(spark, lake, scenario.deliveries);
      BatchConfig config = BatchConfig.load(Map.of("lake", lake, "rules-file", rules.toString()));
      BatchJob.run(spark, config, FIRST, FIRST.plusDays(1), EnumSet.allOf(Step.class), System.out);

      Lake l = new Lake(spark, lake);
      List<Attribution> batch =
          l.read(LakeTables.SILVER_ATTRIBUTIONS).collectAsList().stream()
              .map(ContractRows::attribution)
              .sorted(Comparator.comparing(Attribution::candidateEventId))
              .toList();
      List<Attribution> expected =
          scenario.truth().attributions().stream()
              .sorted(Comparator.comparing(Attribution::candidateEventId))
              .toList();
      assertThat(batch).containsExactlyElementsOf(expected);
      for (String t : BatchTables.GOLD) {
        assertThat(spark.read().parquet(ExportStep.folder(l, t, FIRST.plusDays(1))).count())
            .isEqualTo(l.read(BatchTables.gold(t)).where(Lake.day(FIRST.plusDays(1))).count());
      }
    } finally {
      spark.stop();
      Files.deleteIfExists(rules);
    }
  }
}
