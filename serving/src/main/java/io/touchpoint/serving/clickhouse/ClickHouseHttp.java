package io.touchpoint.serving.clickhouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.serving.ServingException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ClickHouse HTTP interface (a server, or the embedded engine's HTTP service): a statement in
 * the body, query parameters as {@code param_<name>}, settings as URL parameters, errors as {@link
 * ClickHouseException} with ClickHouse's code and message.
 */
public final class ClickHouseHttp {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Pattern SECRET = Pattern.compile("(s3\\('[^']*',\\s*)'[^']*',\\s*'[^']*'");

  private final String url;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;
  private final ThreadLocal<Double> lastElapsedMs = new ThreadLocal<>();

  public ClickHouseHttp(String url, String user, String password, Duration timeout) {
    this.url = url.endsWith("/") ? url : url + "/";
    this.authorization =
        user == null || user.isBlank()
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(
                        (user + ":" + (password == null ? "" : password))
                            .getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  public String url() {
    return url;
  }

  /** Runs one statement; returns the answer's body. */
  public String execute(String sql) {
    return execute(sql, Map.of(), Map.of());
  }

  public String execute(String sql, Map<String, String> params, Map<String, String> settings) {
    return send(sql, params, settings, null);
  }

  /** {@code INSERT INTO ... FORMAT X} with the data as the body (the statement goes in the URL). */
  public String insert(String insertStatement, byte[] data) {
    return send(insertStatement, Map.of(), Map.of(), data);
  }

  private String send(
      String sql, Map<String, String> params, Map<String, String> settings, byte[] data) {
    StringBuilder q = new StringBuilder(url).append('?');
    Map<String, String> all = new LinkedHashMap<>(settings);
    params.forEach((k, v) -> all.put("param_" + k, v));
    if (data != null) {
      all.put("query", sql);
    }
    all.forEach((k, v) -> q.append(enc(k)).append('=').append(enc(v)).append('&'));
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(q.toString()))
            .timeout(timeout)
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    data != null ? data : sql.getBytes(StandardCharsets.UTF_8)));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ServingException(
          "ClickHouse at "
              + url
              + " is not reachable ("
              + e.getMessage()
              + "); is it up? (embedded stack: `up --only clickhouse`)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException("interrupted while waiting for ClickHouse", e);
    }
    lastElapsedMs.set(
        r.headers().firstValue("X-ClickHouse-Summary").map(ClickHouseHttp::elapsedMs).orElse(null));
    if (r.statusCode() != 200) {
      String code = r.headers().firstValue("X-ClickHouse-Exception-Code").orElse("?");
      throw new ClickHouseException(
          Integer.parseInt(code.matches("\\d+") ? code : "0"),
          r.body().strip(),
          redact(shortSql(sql)));
    }
    return r.body();
  }

  /** Rows of a SELECT as JSON objects (FORMAT JSON), with the column names and types. */
  public Result query(String sql, Map<String, String> params) {
    // numbers as JSON numbers (the defaults of current servers; big integers and decimals are read
    // exactly either way: see USE_BIG_DECIMAL_FOR_FLOATS and numberValue())
    String body = execute(sql + "\nFORMAT JSONCompact", params, Map.of());
    try {
      JsonNode root = JSON.readTree(body);
      List<String> names = new ArrayList<>();
      List<String> types = new ArrayList<>();
      for (JsonNode m : root.get("meta")) {
        names.add(m.get("name").asText());
        types.add(m.get("type").asText());
      }
      List<List<Object>> rows = new ArrayList<>();
      for (JsonNode row : root.get("data")) {
        List<Object> values = new ArrayList<>();
        for (JsonNode v : row) {
          values.add(
              v.isNull()
                  ? null
                  : v.isNumber() ? v.numberValue() : v.isTextual() ? v.asText() : v.toString());
        }
        rows.add(values);
      }
      return new Result(names, types, rows);
    } catch (IOException e) {
      throw new ServingException("unexpected answer from ClickHouse: " + e.getMessage(), e);
    }
  }

  /** The first column of the first row as text ("" when there is no row). */
  public String scalar(String sql) {
    String body = execute(sql + "\nFORMAT TabSeparated").strip();
    int nl = body.indexOf('\n');
    return nl < 0 ? body : body.substring(0, nl);
  }

  /**
   * The server-side time of this thread's last statement (X-ClickHouse-Summary elapsed_ns), or
   * null.
   */
  public Double lastElapsedMs() {
    return lastElapsedMs.get();
  }

  private static Double elapsedMs(String summary) {
    Matcher m = Pattern.compile("\"elapsed_ns\"\\s*:\\s*\"?(\\d+)").matcher(summary);
    return m.find() ? Long.parseLong(m.group(1)) / 1e6 : null;
  }

  public boolean ping() {
    try {
      return "1".equals(scalar("SELECT 1"));
    } catch (ServingException e) {
      return false;
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static String shortSql(String sql) {
    String one = String.join(" ", SqlScript.stripComments(sql).split("\\s+"));
    return one.length() <= 200 ? one : one.substring(0, 200) + "...";
  }

  /** Hides the keys of an {@code s3('url', 'key', 'secret', ...)} call. */
  public static String redact(String sql) {
    Matcher m = SECRET.matcher(sql);
    return m.replaceAll("$1'***', '***'");
  }

  /** A query's answer: column names, ClickHouse types, and rows of Number / String / null. */
  public record Result(List<String> columns, List<String> types, List<List<Object>> rows) {}
}
