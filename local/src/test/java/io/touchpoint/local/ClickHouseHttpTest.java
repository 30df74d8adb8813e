package io.touchpoint.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.local.test.EmbeddedStack;
import io.touchpoint.local.test.StackHandle;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** SQL round trips through the ClickHouse HTTP interface of the stack's ClickHouse engine. */
@EmbeddedStack(services = Service.CLICKHOUSE)
class ClickHouseHttpTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(StackHandle stack, String urlQuery, String body, String format)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    stack.clickhouseUrl()
                        + "/"
                        + (urlQuery == null
                            ? ""
                            : "?query=" + URLEncoder.encode(urlQuery, StandardCharsets.UTF_8))))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (format != null) {
      b.header("X-ClickHouse-Format", format);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aMergeTreeTableIsCreatedFilledAndAggregated(StackHandle stack) throws Exception {
    String t = stack.newTable("installs");
    assertThat(
            post(
                    stack,
                    null,
                    "CREATE TABLE "
                        + t
                        + " (day Date, media_source LowCardinality(String), "
                        + "installs UInt32) ENGINE = MergeTree PARTITION BY toYYYYMM(day) ORDER BY (day, media_source)",
                    null)
                .statusCode())
        .isEqualTo(200);
    HttpResponse<String> insert =
        post(
            stack,
            "INSERT INTO " + t + " FORMAT CSV",
            "2026-01-01,net_a,3\n2026-01-01,net_b,1\n2026-01-02,net_a,2\n",
            null);
    assertThat(insert.statusCode()).isEqualTo(200);

    HttpResponse<String> agg =
        post(
            stack,
            null,
            "SELECT media_source, sum(installs) AS n FROM "
                + t
                + " GROUP BY media_source ORDER BY media_source",
            "JSONEachRow");
    assertThat(agg.statusCode()).isEqualTo(200);
    assertThat(agg.headers().firstValue("X-ClickHouse-Format")).contains("JSONEachRow");
    // 64-bit integers unquoted: the engine's default output_format_json_quote_64bit_integers = 0
    assertThat(agg.body())
        .isEqualTo("{\"media_source\":\"net_a\",\"n\":5}\n{\"media_source\":\"net_b\",\"n\":1}\n");

    HttpResponse<String> tsv =
        post(stack, null, "SELECT count() FROM " + t + " WHERE day = '2026-01-01'", null);
    assertThat(tsv.body()).isEqualTo("2\n");
  }

  @Test
  void errorsComeBackAsClickHouseSendsThem(StackHandle stack) throws Exception {
    HttpResponse<String> r = post(stack, null, "SELECT * FROM " + stack.newTable("missing"), null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-ClickHouse-Exception-Code")).contains("60");
    assertThat(r.body()).startsWith("Code: 60. DB::Exception:");
  }

  @Test
  void queryParametersAndFormatInTheSqlAreHonoured(StackHandle stack) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        stack.clickhouseUrl()
                            + "/?param_x=41&query="
                            + URLEncoder.encode(
                                "SELECT {x:UInt32} + 1 AS y FORMAT CSVWithNames",
                                StandardCharsets.UTF_8)))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("\"y\"\n42\n");
  }
}
