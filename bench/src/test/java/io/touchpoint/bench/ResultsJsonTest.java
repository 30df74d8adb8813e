package io.touchpoint.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsJsonTest {

  record Settings(int kills, Duration outage) {}

  record Result(long rows, List<String> missing) {}

  @Test
  void aVerdictFileIsNamedByBenchmarkDateAndLabelAndHoldsItsParts(@TempDir Path dir)
      throws Exception {
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Path file =
        ResultsJson.writeVerdict(
            dir.resolve("results"),
            "chaos",
            "batch",
            false,
            new Settings(5, Duration.ofSeconds(60)),
            new Result(62_445, List.of("k1")));

    assertThat(file).isEqualTo(dir.resolve("results").resolve("chaos-" + today + "-batch.json"));
    JsonNode json = new ObjectMapper().readTree(file.toFile());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly("benchmark", "date", "holds", "settings", "result");
    assertThat(json.get("date").asText()).isEqualTo(today);
    assertThat(json.get("holds").asBoolean()).isFalse();
    assertThat(json.at("/settings/kills").asInt()).isEqualTo(5);
    assertThat(json.at("/settings/outage").asDouble()).isEqualTo(60.0);
    assertThat(json.at("/result/rows").asLong()).isEqualTo(62_445);
    assertThat(json.at("/result/missing/0").asText()).isEqualTo("k1");
    assertThat(ResultsJson.write(dir, ResultsJson.header("fuzz"), null))
        .isEqualTo(dir.resolve("fuzz-" + today + ".json"));
  }
}
