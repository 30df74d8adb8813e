package io.touchpoint.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of docs/architecture.md, checked on the main classes of every module (the
 * launcher's test classpath holds them all). A forbidden import fails {@code ./mvnw verify} here
 * instead of waiting for a reviewer to notice it. Plain JUnit tests over ArchUnit's core: the
 * ArchUnit engine's field rules are silently skipped by Surefire 3.5.3 and later.
 */
class ArchitectureRulesTest {

  private static JavaClasses mainClasses;

  @BeforeAll
  static void importMainClasses() {
    mainClasses =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.touchpoint");
  }

  private static final String[] ENGINES = {
    "org.apache.spark..", "scala..", "io.delta..", "org.apache.hadoop..", "org.apache.kafka.."
  };

  /** The rules are plain Java over plain records: no engine in shared-model's core. */
  @Test
  void sharedModelCoreImportsNoEngine() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage("io.touchpoint.model..", "io.touchpoint.attribution..")
            .and()
            .resideOutsideOfPackage("io.touchpoint.model.spark..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(ENGINES)
            .because("shared-model's core is engine-free, Spark lives only in its adapter package");
    rule.check(mainClasses);
  }

  /** shared-model is the bottom of the graph: it knows no other Touchpoint module. */
  @Test
  void sharedModelDependsOnNoOtherModule() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage("io.touchpoint.model..", "io.touchpoint.attribution..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.touchpoint.streaming..",
                "io.touchpoint.batch..",
                "io.touchpoint.serving..",
                "io.touchpoint.local..",
                "io.touchpoint.simulator..",
                "io.touchpoint.bench..",
                "io.touchpoint.cli..");
    rule.check(mainClasses);
  }

  /** The jobs ship to clusters: the embedded stack and the simulator stay on the laptop. */
  @Test
  void jobsNeverImportLocalOrSimulator() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAnyPackage(
                "io.touchpoint.streaming..", "io.touchpoint.batch..", "io.touchpoint.serving..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.touchpoint.local..",
                "io.touchpoint.simulator..",
                "io.touchpoint.bench..",
                "io.touchpoint.cli..")
            .because("job modules run on EMR and servers, where neither exists");
    rule.check(mainClasses);
  }

  /** Speed and batch meet only in shared-model, so neither can drift into the other's logic. */
  @Test
  void speedNeverImportsBatch() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.touchpoint.streaming..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.touchpoint.batch..", "io.touchpoint.serving..");
    rule.check(mainClasses);
  }

  @Test
  void batchNeverImportsSpeed() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.touchpoint.batch..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.touchpoint.streaming..", "io.touchpoint.serving..");
    rule.check(mainClasses);
  }

  /** The simulator is an independent oracle: its truth must not come from the rules it checks. */
  @Test
  void simulatorNeverImportsTheRules() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.touchpoint.simulator..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.touchpoint.attribution..",
                "io.touchpoint.streaming..",
                "io.touchpoint.batch..");
    rule.check(mainClasses);
  }

  /** The embedded stack knows engines, not Touchpoint's jobs. */
  @Test
  void localKnowsNoTouchpointModule() {
    ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.touchpoint.local..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.touchpoint.model..",
                "io.touchpoint.attribution..",
                "io.touchpoint.streaming..",
                "io.touchpoint.batch..",
                "io.touchpoint.serving..",
                "io.touchpoint.simulator..");
    rule.check(mainClasses);
  }
}
