package io.touchpoint.model.spark;

import static io.touchpoint.model.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.Touchpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Records -> Rows -> DataFrame -> collect -> records, on a local SparkSession. */
class ContractRowsTest {

  private static SparkSession spark;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("ContractRowsTest")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "1")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    spark.stop();
  }

  @Test
  void touchpointsRoundTrip() {
    List<Touchpoint> touches = List.of(CLICK, IMPRESSION);
    assertThat(
            roundTrip(
                touches,
                ContractSchemas.TOUCHPOINTS,
                ContractRows::touchpointRow,
                ContractRows::touchpoint))
        .isEqualTo(touches);
  }

  @Test
  void appEventsShareOneTable() {
    List<Event> events = List.of(INSTALL, SESSION, PURCHASE);
    assertThat(
            roundTrip(
                events,
                ContractSchemas.APP_EVENTS,
                ContractRows::appEventRow,
                ContractRows::appEvent))
        .isEqualTo(events);
  }

  @Test
  void attributionsRoundTripWithContributorsAndFraudReasons() {
    List<Attribution> attributions = List.of(ATTRIBUTION, ORGANIC);
    assertThat(
            roundTrip(
                attributions,
                ContractSchemas.ATTRIBUTIONS,
                ContractRows::attributionRow,
                ContractRows::attribution))
        .isEqualTo(attributions);
  }

  @Test
  void attributedEventsRoundTrip() {
    assertThat(
            roundTrip(
                List.of(ATTRIBUTED_EVENT),
                ContractSchemas.ATTRIBUTED_EVENTS,
                ContractRows::attributedEventRow,
                ContractRows::attributedEvent))
        .containsExactly(ATTRIBUTED_EVENT);
  }

  @Test
  void deadLettersRoundTripWithTheirBytes() {
    List<DeadLetter> back =
        roundTrip(
            List.of(DEAD_LETTER),
            ContractSchemas.DEAD_LETTERS,
            ContractRows::deadLetterRow,
            ContractRows::deadLetter);
    assertThat(back).singleElement().usingRecursiveComparison().isEqualTo(DEAD_LETTER);
  }

  @Test
  void theEncoderTakesRowsBuiltInsideMapPartitions() {
    assertThat(retargetInMapPartitions()).isTrue();
  }

  @Test
  void theEncoderAlsoWorksUnderTheJava8TimeApi() {
    spark.conf().set("spark.sql.datetime.java8API.enabled", "true");
    try {
      // collected rows now hold Instants, the rows built hold Timestamps: both are accepted
      assertThat(retargetInMapPartitions()).isTrue();
      assertThat(
              roundTrip(
                  List.of(INSTALL),
                  ContractSchemas.APP_EVENTS,
                  ContractRows::appEventRow,
                  ContractRows::appEvent))
          .containsExactly(INSTALL);
    } finally {
      spark.conf().unset("spark.sql.datetime.java8API.enabled");
    }
  }

  /** Reads CLICK back from a Dataset, marks it retargeting in mapPartitions, returns the flag. */
  private static boolean retargetInMapPartitions() {
    Dataset<Row> rows =
        spark.createDataFrame(
            List.of(ContractRows.touchpointRow(CLICK)), ContractSchemas.TOUCHPOINTS);
    MapPartitionsFunction<Row, Row> retarget =
        it -> {
          List<Row> out = new ArrayList<>();
          it.forEachRemaining(
              r -> {
                Touchpoint t = ContractRows.touchpoint(r);
                out.add(
                    ContractRows.touchpointRow(
                        new Touchpoint(
                            t.eventId(),
                            t.eventType(),
                            t.appId(),
                            t.eventTime(),
                            t.receivedAt(),
                            t.device(),
                            t.mediaSource(),
                            t.campaignId(),
                            t.campaign(),
                            t.adset(),
                            t.ad(),
                            t.siteId(),
                            t.clickId(),
                            true,
                            t.costModel(),
                            t.costValue(),
                            t.costCurrency())));
              });
          return out.iterator();
        };
    Row mapped =
        rows.mapPartitions(retarget, ContractRows.encoder(ContractSchemas.TOUCHPOINTS))
            .collectAsList()
            .get(0);
    Touchpoint back = ContractRows.touchpoint(mapped);
    assertThat(back.eventTime()).isEqualTo(CLICK.eventTime());
    return back.retargeting();
  }

  private static <T> List<T> roundTrip(
      List<? extends T> records,
      StructType schema,
      Function<T, Row> toRow,
      Function<Row, T> fromRow) {
    List<Row> rows = records.stream().map(r -> toRow.apply(r)).toList();
    Dataset<Row> frame = spark.createDataFrame(rows, schema);
    assertThat(frame.schema()).isEqualTo(schema);
    return frame.collectAsList().stream().map(fromRow).toList();
  }
}
