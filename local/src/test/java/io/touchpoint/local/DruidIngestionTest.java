package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A batch ingestion into the real Druid cluster (deep storage on S3Proxy), then SQL on the broker.
 */
@Tag("heavy")
@EmbeddedStack(services = Service.DRUID)
class DruidIngestionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void inlineRowsIngestedWithIndexParallelAreQueryableThroughTheBroker(StackHandle stack)
      throws Exception {
    String ds = stack.newTable("attributions");
    String rows =
        String.join(
            "\n",
            "{\"ts\":\"2026-01-01T00:10:00Z\",\"media_source\":\"net_a\",\"country\":\"DE\"}",
            "{\"ts\":\"2026-01-01T05:00:00Z\",\"media_source\":\"net_b\",\"country\":\"FR\"}",
            "{\"ts\":\"2026-01-01T09:30:00Z\",\"media_source\":\"net_a\",\"country\":\"DE\"}");
    Map<String, Object> spec =
        Map.of(
            "type",
            "index_parallel",
            "spec",
            Map.of(
                "dataSchema",
                    Map.of(
                        "dataSource",
                        ds,
                        "timestampSpec",
                        Map.of("column", "ts", "format", "iso"),
                        "dimensionsSpec",
                        Map.of("dimensions", List.of("media_source", "country")),
                        "granularitySpec",
                        Map.of(
                            "segmentGranularity",
                            "day",
                            "queryGranularity",
                            "none",
                            "rollup",
                            false)),
                "ioConfig",
                    Map.of(
                        "type",
                        "index_parallel",
                        "inputSource",
                        Map.of("type", "inline", "data", rows),
                        "inputFormat",
                        Map.of("type", "json")),
                "tuningConfig", Map.of("type", "index_parallel", "maxNumConcurrentSubTasks", 1)));

    Http.Response submitted =
        Http.post(
            stack.druidRouterUrl() + "/druid/indexer/v1/task",
            "application/json",
            JSON.writeValueAsString(spec));
    assertThat(submitted.status()).as(submitted.body()).isEqualTo(200);
    String task = JSON.readTree(submitted.body()).get("task").asText();

    String state =
        awaitValue(
            Duration.ofSeconds(120),
            () -> {
              JsonNode s =
                  JSON.readTree(
                      Http.get(
                              stack.druidCoordinatorUrl()
                                  + "/druid/indexer/v1/task/"
                                  + task
                                  + "/status")
                          .body());
              String v = s.path("status").path("status").asText();
              return v.equals("RUNNING") || v.isEmpty() ? null : v;
            });
    assertThat(state).isEqualTo("SUCCESS");

    String sql =
        JSON.writeValueAsString(
            Map.of(
                "query",
                "SELECT media_source, COUNT(*) AS n FROM \""
                    + ds
                    + "\" GROUP BY media_source ORDER BY media_source"));
    String answer =
        awaitValue(
            Duration.ofSeconds(120),
            () -> {
              Http.Response r =
                  Http.post(stack.druidBrokerUrl() + "/druid/v2/sql", "application/json", sql);
              return r.ok() && r.body().contains("net_b")
                  ? r.body()
                  : null; // segments load a few s after SUCCESS
            });
    assertThat(JSON.readTree(answer))
        .isEqualTo(
            JSON.readTree(
                "[{\"media_source\":\"net_a\",\"n\":2},{\"media_source\":\"net_b\",\"n\":1}]"));
  }

  interface Probe {
    String get() throws Exception;
  }

  private static String awaitValue(Duration timeout, Probe probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String v = probe.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no answer within " + timeout);
      }
      Thread.sleep(500);
    }
  }
}
