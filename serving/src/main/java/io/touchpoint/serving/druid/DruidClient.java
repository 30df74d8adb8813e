package io.touchpoint.serving.druid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;

/** Druid's HTTP APIs through the router: SQL (broker), tasks and supervisors (overlord). */
public final class DruidClient {
  public static final ObjectMapper JSON = new ObjectMapper();
  private final String router;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public DruidClient(String router) {
    this.router = router;
  }

  public String router() {
    return router;
  }

  /** A SQL answer: column names and rows. */
  public record SqlResult(List<String> columns, List<List<Object>> rows) {}

  public SqlResult sql(String query) {
    ObjectNode body = JSON.createObjectNode();
    body.put("query", query);
    body.put("resultFormat", "array");
    body.put("header", true);
    body.putObject("context").put("sqlTimeZone", "Etc/UTC");
    JsonNode res = call("POST", "/druid/v2/sql", body.toString(), Duration.ofMinutes(2));
    List<String> cols = new ArrayList<>();
    List<List<Object>> rows = new ArrayList<>();
    boolean first = true;
    for (JsonNode row : res) {
      List<Object> values = new ArrayList<>();
      for (JsonNode v : row) {
        values.add(v.isNull() ? null : v.isNumber() ? v.numberValue() : v.asText());
      }
      if (first) {
        values.forEach(v -> cols.add(String.valueOf(v)));
        first = false;
      } else {
        rows.add(values);
      }
    }
    return new SqlResult(cols, rows);
  }

  public String submitTask(JsonNode spec) {
    return call("POST", "/druid/indexer/v1/task", spec.toString(), Duration.ofSeconds(30))
        .get("task")
        .asText();
  }

  /**
   * Waits for a task; returns its final status node, throws with the error message when it failed.
   */
  public JsonNode awaitTask(String taskId, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      JsonNode st =
          call(
                  "GET",
                  "/druid/indexer/v1/task/" + enc(taskId) + "/status",
                  null,
                  Duration.ofSeconds(30))
              .path("status");
      String code = st.path("statusCode").asText(st.path("status").asText());
      if ("SUCCESS".equals(code)) {
        return st;
      }
      if ("FAILED".equals(code)) {
        throw new ServingException(
            "Druid task "
                + taskId
                + " failed: "
                + st.path("errorMsg").asText("(no message)")
                + " (task log: "
                + router
                + "/druid/indexer/v1/task/"
                + taskId
                + "/log)");
      }
      if (System.nanoTime() > deadline) {
        throw new ServingException(
            "Druid task " + taskId + " still " + code + " after " + timeout.toSeconds() + " s");
      }
      sleep(500);
    }
  }

  public String submitSupervisor(JsonNode spec) {
    return call("POST", "/druid/indexer/v1/supervisor", spec.toString(), Duration.ofSeconds(30))
        .get("id")
        .asText();
  }

  /** Suspends a supervisor: its tasks publish what they read now, and no new task starts. */
  public void suspendSupervisor(String id) {
    call(
        "POST", "/druid/indexer/v1/supervisor/" + enc(id) + "/suspend", "", Duration.ofSeconds(30));
  }

  public void terminateSupervisor(String id) {
    call(
        "POST",
        "/druid/indexer/v1/supervisor/" + enc(id) + "/terminate",
        "",
        Duration.ofSeconds(30));
  }

  /**
   * Terminates a supervisor and stops its tasks. Druid enforces taskDuration from the supervisor: a
   * task the supervisor started just before it was terminated can otherwise keep reading (and keep
   * its task slot) forever.
   */
  public void terminateSupervisorAndTasks(String id) {
    terminateSupervisor(id);
    for (JsonNode t :
        call(
            "GET",
            "/druid/indexer/v1/tasks?state=running&datasource=" + enc(id),
            null,
            Duration.ofSeconds(30))) {
      if (t.path("type").asText().startsWith("index_kafka")) {
        call(
            "POST",
            "/druid/indexer/v1/task/" + enc(t.path("id").asText()) + "/shutdown",
            "",
            Duration.ofSeconds(30));
      }
    }
  }

  public JsonNode supervisorStatus(String id) {
    return call(
        "GET", "/druid/indexer/v1/supervisor/" + enc(id) + "/status", null, Duration.ofSeconds(30));
  }

  /** Asks the coordinator to forget a datasource's segments (test cleanup). */
  public void dropDatasource(String ds) {
    call("DELETE", "/druid/coordinator/v1/datasources/" + enc(ds), null, Duration.ofSeconds(30));
  }

  public JsonNode call(String method, String path, String body, Duration timeout) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(router + path))
            .timeout(timeout)
            .header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> r;
    try {
      r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ServingException(
          "Druid at "
              + router
              + " is not reachable ("
              + e.getMessage()
              + "); is it up? (embedded stack: `up --only druid`)",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException("interrupted while waiting for Druid", e);
    }
    if (r.statusCode() / 100 != 2) {
      String msg = r.body();
      try {
        JsonNode err = JSON.readTree(msg);
        msg = err.path("errorMessage").asText(err.path("error").asText(msg));
      } catch (IOException ignored) {
        // not JSON: keep the body
      }
      throw new ServingException(
          "Druid "
              + method
              + " "
              + path
              + " answered "
              + r.statusCode()
              + ": "
              + (msg.length() > 1500 ? msg.substring(0, 1500) + "..." : msg));
    }
    try {
      return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    } catch (IOException e) {
      throw new ServingException("unexpected answer from Druid " + path + ": " + e.getMessage(), e);
    }
  }

  static ArrayNode array() {
    return JSON.createArrayNode();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServingException("interrupted");
    }
  }
}
