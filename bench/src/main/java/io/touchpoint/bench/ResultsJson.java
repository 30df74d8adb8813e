package io.touchpoint.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench/results/<benchmark>-<date>[-<label>].json}: one run's results, written the same way
 * by every command of bench: what ran and the UTC date first, then the figures, indented.
 */
public final class ResultsJson {
  private ResultsJson() {}

  /** A results file's first fields: {@code benchmark} and today's UTC {@code date}. */
  public static Map<String, Object> header(String benchmark) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("benchmark", benchmark);
    fields.put("date", LocalDate.now(ZoneOffset.UTC).toString());
    return fields;
  }

  /**
   * A run judged as a whole (fault and hostile-input runs): whether it holds, its settings and its
   * result.
   */
  public static Path writeVerdict(
      Path dir, String benchmark, String label, boolean holds, Object settings, Object result)
      throws IOException {
    Map<String, Object> fields = header(benchmark);
    fields.put("holds", holds);
    fields.put("settings", settings);
    fields.put("result", result);
    return write(dir, fields, label);
  }

  /**
   * Writes {@code fields} (begun by {@link #header}) to {@code dir}; {@code label} (or null) names
   * a run of part of the work.
   */
  public static Path write(Path dir, Map<String, Object> fields, String label) throws IOException {
    Files.createDirectories(dir);
    String name =
        fields.get("benchmark") + "-" + fields.get("date") + (label == null ? "" : "-" + label);
    Path file = dir.resolve(name + ".json");
    new ObjectMapper()
        .findAndRegisterModules()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), fields);
    return file;
  }
}
