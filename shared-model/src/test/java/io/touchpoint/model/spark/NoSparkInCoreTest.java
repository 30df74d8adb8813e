package io.touchpoint.model.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.json.ContractJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Spark is a provided dependency: only io.touchpoint.model.spark may touch it, so the core
 * (contract, validation, attribution rules) runs in any JVM, e.g. the simulator and the CLI.
 */
class NoSparkInCoreTest {

  @Test
  void noCompiledClassOutsideTheAdapterReferencesSpark() throws IOException, URISyntaxException {
    Path classes = Path.of(ContractJson.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path adapter = classes.resolve("io/touchpoint/model/spark");

    List<String> offenders;
    try (Stream<Path> files = Files.walk(classes)) {
      offenders = files
          .filter(f -> f.toString().endsWith(".class") && !f.startsWith(adapter))
          .filter(NoSparkInCoreTest::referencesSpark)
          .map(f -> classes.relativize(f).toString())
          .toList();
    }

    assertThat(referencesSpark(adapter.resolve("ContractRows.class")))
        .as("the scan sees Spark where it is used").isTrue();
    assertThat(offenders).isEmpty();
  }

  /** Class names sit in the constant pool as UTF-8 internal names, e.g. org/apache/spark/sql/Row. */
  private static boolean referencesSpark(Path classFile) {
    try {
      return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1)
          .contains("org/apache/spark");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
