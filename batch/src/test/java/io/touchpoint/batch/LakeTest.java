package io.touchpoint.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.delta.tables.DeltaTable;
import io.touchpoint.model.LakeTables;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@link Lake}'s day writes into a table whose Delta statistics are kept on some columns only. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LakeTest {
  private static final LocalDate DAY = LocalDate.of(2026, 1, 1);
  private static final StructType SCHEMA =
      new StructType()
          .add("a", DataTypes.StringType)
          .add("b", DataTypes.LongType)
          .add("c", DataTypes.StringType)
          .add(LakeTables.EVENT_DATE, DataTypes.DateType);

  private SparkSession spark;
  private Path dir;
  private Lake lake;

  @BeforeAll
  void start() {
    spark = TestLake.spark();
    dir = TestLake.tempDir("lake-test");
    lake = new Lake(spark, dir.toUri().toString());
  }

  @AfterAll
  void stop() {
    TestLake.delete(dir);
  }

  @Test
  void theWriteThatCreatesATableSetsItsStatisticsColumnsInItsOwnCommit() {
    long rows = lake.replaceDays(rows(3), "silver/t1", List.of(DAY), false, "a,b");

    assertEquals(3, rows);
    assertEquals(List.of("WRITE"), operations("silver/t1"));
    assertEquals("a,b", statsColumns("silver/t1"));
    assertEquals(Set.of("a", "b"), statisticsOf("silver/t1"));
  }

  @Test
  void aTableCreatedWithoutThemGetsThemOnceAfterAWrite() {
    lake.replaceDays(rows(2), "silver/t2", List.of(DAY));
    assertEquals("", statsColumns("silver/t2"));

    assertEquals(4, lake.replaceDays(rows(4), "silver/t2", List.of(DAY), false, "a,b"));
    assertEquals(5, lake.replaceDays(rows(5), "silver/t2", List.of(DAY), false, "a,b"));

    assertEquals(List.of("WRITE", "WRITE", "SET TBLPROPERTIES", "WRITE"), operations("silver/t2"));
    assertEquals("a,b", statsColumns("silver/t2"));
    assertEquals(Set.of("a", "b"), statisticsOf("silver/t2"));
    assertEquals(5, lake.read("silver/t2").count());
  }

  private Dataset<Row> rows(int n) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create("a" + i, (long) i, "c" + i, java.sql.Date.valueOf(DAY)));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }

  /** The table's commits' operations, oldest first. */
  private List<String> operations(String table) {
    List<String> ops = new ArrayList<>();
    for (Row r :
        DeltaTable.forPath(spark, lake.path(table))
            .history()
            .orderBy("version")
            .select("operation")
            .collectAsList()) {
      ops.add(r.getString(0));
    }
    return ops;
  }

  private String statsColumns(String table) {
    return DeltaLog.forTable(spark, lake.path(table))
        .update(false, scala.Option.empty(), scala.Option.empty())
        .metadata()
        .configuration()
        .get(Lake.STATS_COLUMNS)
        .getOrElse(() -> "");
  }

  /** The columns with min/max statistics in the files of the table's current version. */
  private Set<String> statisticsOf(String table) {
    Set<String> columns = new TreeSet<>();
    for (AddFile f :
        DeltaLog.forTable(spark, lake.path(table))
            .update(false, scala.Option.empty(), scala.Option.empty())
            .allFiles()
            .collectAsList()) {
      try {
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(f.stats())
            .path("minValues")
            .fieldNames()
            .forEachRemaining(columns::add);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return columns;
  }
}
