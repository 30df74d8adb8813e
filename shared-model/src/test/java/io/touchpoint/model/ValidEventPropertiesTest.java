package io.touchpoint.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.spark.ContractRows;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationPolicy;
import io.touchpoint.model.validation.ValidationResult;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Any event the contract allows survives JSON, validation and Spark rows unchanged. */
class ValidEventPropertiesTest {

  private static final EventValidator VALIDATOR = new EventValidator(ValidationPolicy.load());
  private static final long START_2020 = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
  private static final long END_2030 = Instant.parse("2030-01-01T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000L;
  private static final List<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode).sorted().toList();

  @Property(tries = 300)
  void validEventPassesValidationAndRoundTripsThroughJson(@ForAll("events") Event event) {
    byte[] json = ContractJson.toBytes(event);

    ValidationResult result = VALIDATOR.validate(json, event.receivedAt());

    assertThat(result.violations()).isEmpty();
    assertThat(result.event()).isEqualTo(event);
  }

  @Property(tries = 300)
  void validEventRoundTripsThroughItsRow(@ForAll("events") Event event) {
    Event back =
        event instanceof Touchpoint t
            ? ContractRows.touchpoint(ContractRows.touchpointRow(t))
            : ContractRows.appEvent(ContractRows.appEventRow(event));
    assertThat(back).isEqualTo(event);
  }

  @Provide
  Arbitrary<Event> events() {
    return Arbitraries.oneOf(touches(), installs(), sessions(), inAppEvents());
  }

  private record Common(
      String eventId, String appId, Instant eventTime, Instant receivedAt, Device device) {}

  private record Cost(String model, Double value, String currency) {}

  private Arbitrary<Touchpoint> touches() {
    Arbitrary<Device> matchable =
        devices()
            .filter(d -> d.advertisingId() != null || (d.ip() != null && d.userAgent() != null));
    Arbitrary<Cost> cost =
        Combinators.combine(
                text().injectNull(0.5), amounts(), currencies(), Arbitraries.of(true, false))
            .as(
                (model, value, currency, present) ->
                    present ? new Cost(model, value, currency) : null)
            .injectNull(0.3);
    Arbitrary<List<String>> names = text().injectNull(0.4).list().ofSize(5);
    return Combinators.combine(
            common(matchable),
            Arbitraries.of(EventType.IMPRESSION, EventType.CLICK),
            text(),
            text(),
            names,
            Arbitraries.of(true, false),
            cost)
        .as(
            (c, type, source, campaignId, n, retargeting, k) ->
                new Touchpoint(
                    c.eventId(),
                    type,
                    c.appId(),
                    c.eventTime(),
                    c.receivedAt(),
                    c.device(),
                    source,
                    campaignId,
                    n.get(0),
                    n.get(1),
                    n.get(2),
                    n.get(3),
                    type == EventType.CLICK && n.get(4) == null ? "clk-" + c.eventId() : n.get(4),
                    retargeting,
                    k == null ? null : k.model(),
                    k == null ? null : k.value(),
                    k == null ? null : k.currency()));
  }

  private Arbitrary<Install> installs() {
    return Combinators.combine(
            common(keyedDevices()),
            text().injectNull(0.5),
            Arbitraries.longs().between(0, HOUR).injectNull(0.5),
            text().injectNull(0.5))
        .as(
            (c, referrer, beginBefore, sdk) ->
                new Install(
                    c.eventId(),
                    EventType.INSTALL,
                    c.appId(),
                    c.eventTime(),
                    c.receivedAt(),
                    c.device(),
                    referrer,
                    beginBefore == null ? null : c.eventTime().minusMillis(beginBefore),
                    sdk));
  }

  private Arbitrary<Session> sessions() {
    return Combinators.combine(common(keyedDevices()), text().injectNull(0.5))
        .as(
            (c, deepLink) ->
                new Session(
                    c.eventId(),
                    EventType.SESSION,
                    c.appId(),
                    c.eventTime(),
                    c.receivedAt(),
                    c.device(),
                    deepLink));
  }

  private Arbitrary<InAppEvent> inAppEvents() {
    return Combinators.combine(
            common(keyedDevices()), text(), amounts().injectNull(0.4), currencies())
        .as(
            (c, name, revenue, currency) ->
                new InAppEvent(
                    c.eventId(),
                    EventType.IN_APP_EVENT,
                    c.appId(),
                    c.eventTime(),
                    c.receivedAt(),
                    c.device(),
                    name,
                    revenue,
                    revenue == null ? null : currency));
  }

  /** Times at millisecond precision, event_time inside [received_at - 30 d, received_at + 1 h]. */
  private Arbitrary<Common> common(Arbitrary<Device> devices) {
    return Combinators.combine(
            uuids(),
            text(),
            Arbitraries.longs().between(START_2020, END_2030),
            Arbitraries.longs().between(-HOUR, 30 * 24 * HOUR),
            devices)
        .as(
            (id, app, received, lag, device) ->
                new Common(
                    id,
                    app,
                    Instant.ofEpochMilli(received - lag),
                    Instant.ofEpochMilli(received),
                    device));
  }

  private Arbitrary<Device> keyedDevices() {
    return devices().filter(d -> d.advertisingId() != null || d.vendorId() != null);
  }

  private Arbitrary<Device> devices() {
    return Combinators.combine(
            uuids().injectNull(0.4),
            uuids().injectNull(0.4),
            text().injectNull(0.3),
            text().injectNull(0.3),
            Arbitraries.of("ios", "android"),
            text().injectNull(0.3),
            Arbitraries.of(Locale.getISOCountries()).injectNull(0.3))
        .as(Device::new);
  }

  private Arbitrary<String> uuids() {
    return Arbitraries.longs().tuple2().map(t -> new UUID(t.get1(), t.get2()).toString());
  }

  /** Non-blank, including non-ASCII and inner spaces. */
  private Arbitrary<String> text() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("-_. äß日本")
        .ofMinLength(1)
        .ofMaxLength(12)
        .filter(s -> !s.isBlank());
  }

  private Arbitrary<Double> amounts() {
    return Arbitraries.doubles().between(0, 1e9).ofScale(4);
  }

  private Arbitrary<String> currencies() {
    return Arbitraries.of(CURRENCIES);
  }
}
