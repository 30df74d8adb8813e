package io.touchpoint.bench.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.touchpoint.batch.steps.WalkLayout;
import io.touchpoint.model.LakeTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Makes a folder of {@code event_date=D/*.parquet} files a Delta table in place: writes version 0
 * of its log (protocol, metadata with the contract schema, one {@code add} per file), as {@code
 * CONVERT TO DELTA ... NO STATISTICS} would. The data files are untouched, so Spark reads exactly
 * the files DuckDB and chDB read. (Delta 4.0.0's own CONVERT TO DELTA fails on Spark 4.0.2: it
 * calls a ParquetToSparkSchemaConverter constructor that Spark 4.0.1 changed.)
 */
final class DeltaLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaLog() {}

  /**
   * Writes the log of {@code table} with {@code contract} + the event_date partition column;
   * returns files added.
   */
  static int create(Path table, StructType contract) throws IOException {
    return create(table, table, contract);
  }

  /**
   * Writes the log of a table at {@code table} whose files are the ones under {@code files} (by
   * absolute path when that is another folder: the bench's bronze tables are its silver files).
   */
  static int create(Path table, Path files, StructType contract) throws IOException {
    StructType schema = contract.add(LakeTables.EVENT_DATE, DataTypes.DateType, true);
    List<String> lines = new ArrayList<>();
    lines.add(
        JSON.writeValueAsString(
            Map.of("protocol", Map.of("minReaderVersion", 1, "minWriterVersion", 2))));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put(
        "id", UUID.nameUUIDFromBytes(table.toString().getBytes(StandardCharsets.UTF_8)).toString());
    meta.put("format", Map.of("provider", "parquet", "options", Map.of()));
    meta.put("schemaString", schema.json());
    meta.put("partitionColumns", List.of(LakeTables.EVENT_DATE));
    meta.put("configuration", Map.of());
    meta.put("createdTime", System.currentTimeMillis());
    lines.add(JSON.writeValueAsString(Map.of("metaData", meta)));
    List<Path> parquet;
    try (Stream<Path> s = Files.walk(files)) {
      parquet = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().toList();
    }
    for (Path f : parquet) {
      String partition = f.getParent().getFileName().toString(); // event_date=YYYY-MM-DD
      Map<String, Object> add = new LinkedHashMap<>();
      add.put(
          "path",
          files.equals(table)
              ? table.relativize(f).toString()
              : f.toAbsolutePath().toUri().toString());
      add.put(
          "partitionValues",
          Map.of(LakeTables.EVENT_DATE, partition.substring(partition.indexOf('=') + 1)));
      add.put("size", Files.size(f));
      Matcher laidOut = DayGenerator.LAID_OUT_FILE.matcher(f.getFileName().toString());
      if (laidOut.matches() && contract.getFieldIndex(WalkLayout.WALK_BUCKET).isDefined()) {
        // what Delta's own statistics of a compacted, laid-out file say of its bucket
        Map<String, Object> bucket =
            Map.of(
                WalkLayout.WALK_BUCKET,
                Integer.parseInt(laidOut.group(1)),
                WalkLayout.WALK_BUCKETS,
                Integer.parseInt(laidOut.group(2)));
        add.put(
            "stats",
            JSON.writeValueAsString(
                Map.of(
                    "minValues",
                    bucket,
                    "maxValues",
                    bucket,
                    "nullCount",
                    Map.of(WalkLayout.WALK_BUCKET, 0, WalkLayout.WALK_BUCKETS, 0))));
      }
      add.put("modificationTime", Files.getLastModifiedTime(f).toMillis());
      add.put("dataChange", true);
      lines.add(JSON.writeValueAsString(Map.of("add", add)));
    }
    Path log = table.resolve("_delta_log");
    Files.createDirectories(log);
    Files.write(log.resolve("00000000000000000000.json"), lines, StandardCharsets.UTF_8);
    return parquet.size();
  }
}
