package io.touchpoint.bench.chaos;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hex;

import io.touchpoint.batch.BatchTables;
import io.touchpoint.model.LakeTables;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.StructField;

/**
 * Delta tables of two lakes, row for row: what the reference has and the run lacks, what the run
 * has beyond it, ids held twice. Columns that record how a row was processed rather than what it
 * says are left out: the micro-batch number (restarts cut the input into other batches), the
 * processing time of a dead letter, and in the speed tables the position in the run's own output
 * topics (a replay writes the same verdict at another offset).
 */
final class LakeComparison {

  /** A table, its id columns (none: whole rows, e.g. aggregates) and its process-only columns. */
  record Table(String path, List<String> ids, List<String> processOnly) {}

  /** The speed layer's micro-batch number column (streaming's LakeRows.BATCH_ID). */
  private static final String BATCH_ID = "_batch_id";

  private static final List<String> KAFKA_POSITION =
      List.of("_kafka_topic", "_kafka_partition", "_kafka_offset", "_kafka_timestamp");

  /** The speed layer's tables. */
  static final List<Table> SPEED =
      List.of(
          new Table(LakeTables.BRONZE_TOUCHPOINTS, KAFKA_POSITION.subList(0, 3), List.of()),
          new Table(LakeTables.BRONZE_APP_EVENTS, KAFKA_POSITION.subList(0, 3), List.of()),
          new Table(
              LakeTables.QUARANTINE,
              List.of("source_topic", "source_partition", "source_offset"),
              List.of("dead_lettered_at", "dead_letter_date")),
          new Table(LakeTables.SPEED_ATTRIBUTIONS, List.of("attribution_id"), KAFKA_POSITION),
          new Table(LakeTables.SPEED_ATTRIBUTED_EVENTS, List.of("event_id"), KAFKA_POSITION));

  /** The batch layer's tables (silver, statistics, reconciliation, gold). */
  static final List<Table> BATCH =
      List.of(
          new Table(LakeTables.SILVER_TOUCHPOINTS, List.of("event_id"), List.of()),
          new Table(LakeTables.SILVER_APP_EVENTS, List.of("event_id"), List.of()),
          new Table(LakeTables.SILVER_ATTRIBUTIONS, List.of("attribution_id"), List.of()),
          new Table(LakeTables.SILVER_ATTRIBUTED_EVENTS, List.of("event_id"), List.of()),
          new Table(BatchTables.RECOMPUTE_MARKS, List.of(), List.of()),
          new Table(BatchTables.SITE_DAY_STATS, List.of(), List.of()),
          new Table(BatchTables.RECONCILIATION_DIFFERENCES, List.of(), List.of()),
          new Table(BatchTables.RECONCILIATION_SUMMARY, List.of(), List.of()),
          new Table(BatchTables.gold(BatchTables.GOLD_INSTALLS), List.of(), List.of()),
          new Table(BatchTables.gold(BatchTables.GOLD_EVENTS), List.of(), List.of()),
          new Table(BatchTables.gold(BatchTables.GOLD_RETENTION), List.of(), List.of()),
          new Table(BatchTables.gold(BatchTables.GOLD_LTV), List.of(), List.of()),
          new Table(BatchTables.gold(BatchTables.GOLD_CTIT), List.of(), List.of()));

  private final SparkSession spark;

  LakeComparison(SparkSession spark) {
    this.spark = spark;
  }

  /**
   * One table of both lakes. The tables of a chaos run are small: each side is read once and
   * compared in memory (row multisets), which costs far less than joins on this machine.
   */
  Comparison compare(String scope, Table table, String referenceRoot, String runRoot) {
    Map<String, Integer> ref = rows(read(referenceRoot, table));
    Dataset<Row> runTable = read(runRoot, table);
    Map<String, Integer> run = rows(runTable);
    long duplicateIds = 0;
    if (!table.ids().isEmpty()) {
      Column[] ids = table.ids().stream().map(c -> col(c)).toArray(Column[]::new);
      duplicateIds = rows(runTable.select(ids)).values().stream().filter(n -> n > 1).count();
    }
    return RowCounts.compare("delta", table.path(), ref, run, duplicateIds);
  }

  private static Map<String, Integer> rows(Dataset<Row> d) {
    Map<String, Integer> m = new HashMap<>();
    for (Row r : d.collectAsList()) {
      m.merge(r.toString(), 1, Integer::sum);
    }
    return m;
  }

  private Dataset<Row> read(String root, Table table) {
    Dataset<Row> d = spark.read().format("delta").load(LakeTables.path(root, table.path()));
    List<String> present = Arrays.asList(d.columns());
    String[] drop =
        Stream.concat(table.processOnly().stream(), Stream.of(BATCH_ID))
            .filter(present::contains)
            .toArray(String[]::new);
    d = d.drop(drop);
    // a row is compared as text: bytes by their hex digits (a byte array prints its identity)
    for (StructField f : d.schema().fields()) {
      if (f.dataType() instanceof BinaryType) {
        d = d.withColumn(f.name(), hex(col(f.name())));
      }
    }
    return d;
  }
}
