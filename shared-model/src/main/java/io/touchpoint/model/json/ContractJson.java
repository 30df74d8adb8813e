package io.touchpoint.model.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * The one JSON mapping of the wire contract; every producer and consumer goes through it so that
 * field names, timestamp format and null handling cannot drift apart.
 *
 * <ul>
 *   <li>snake_case property names, exactly the record components (helper methods such as {@code
 *       isClick()} never leak onto the wire);
 *   <li>instants as ISO-8601 UTC strings with exactly millisecond precision ({@code
 *       2026-11-20T10:00:00.123Z}); read with any offset and truncated to milliseconds, so a record
 *       read equals the record written and Spark (microseconds) holds it exactly;
 *   <li>{@code event_type} by its wire name, other enums by name, {@code byte[]} as base64;
 *   <li>nulls omitted on write; unknown properties ignored on read (fields are only ever added);
 *   <li>strict parsing: no NaN/Infinity literals, no comments, no duplicate keys, no trailing
 *       tokens.
 * </ul>
 *
 * Methods throw {@link IllegalArgumentException} for input that is not contract JSON.
 */
public final class ContractJson {

  private static final DateTimeFormatter MILLIS_UTC =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  /** RFC 3339 date-time: seconds required, 1-9 fraction digits, offset Z or +HH:MM. */
  private static final DateTimeFormatter OFFSET_DATE_TIME =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .appendPattern("HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
          .optionalEnd()
          .appendOffset("+HH:MM", "Z")
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT)
          .withChronology(IsoChronology.INSTANCE);

  private static final ObjectMapper MAPPER = build();

  private ContractJson() {}

  /** The shared mapper. Thread-safe; do not reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static byte[] toBytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads one value; for {@code Event.class} dispatches on {@code event_type}. */
  public static <T> T fromJson(byte[] json, Class<T> type) {
    try {
      return type == Event.class ? type.cast(readEvent(json)) : MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** Reads one value; for {@code Event.class} dispatches on {@code event_type}. */
  public static <T> T fromJson(String json, Class<T> type) {
    try {
      return type == Event.class
          ? type.cast(readEvent(MAPPER.readTree(json)))
          : MAPPER.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "not a " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  public static Event readEvent(byte[] json) {
    try {
      return readEvent(MAPPER.readTree(json));
    } catch (IOException e) {
      throw new IllegalArgumentException("not an event: " + e.getMessage(), e);
    }
  }

  /** Binds an inbound event to the record its {@code event_type} names. */
  public static Event readEvent(JsonNode node) {
    JsonNode typeNode = node.path("event_type");
    EventType type =
        EventType.fromWire(typeNode.asText())
            .orElseThrow(() -> new IllegalArgumentException("unknown event_type: " + typeNode));
    Class<? extends Event> recordClass =
        switch (type) {
          case IMPRESSION, CLICK -> Touchpoint.class;
          case INSTALL -> Install.class;
          case SESSION -> Session.class;
          case IN_APP_EVENT -> InAppEvent.class;
        };
    try {
      return MAPPER.treeToValue(node, recordClass);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a " + type + " event: " + e.getMessage(), e);
    }
  }

  /**
   * Parses a contract timestamp (e.g. {@code 2026-11-20T11:00:00.5+01:00}), truncated to
   * milliseconds.
   *
   * @throws DateTimeException if it is not an RFC 3339 date-time
   */
  public static Instant parseInstant(String text) {
    Instant utc = parseUtc(text);
    if (utc != null) {
      return utc;
    }
    return OFFSET_DATE_TIME.parse(text, Instant::from).truncatedTo(ChronoUnit.MILLIS);
  }

  private static final int[] NANOS_PER_DIGIT = {
    0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  /**
   * The shape nearly every contract timestamp has, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}, read
   * without the formatter (whose field maps cost more than the rest of an event's validation); null
   * for anything else, impossible dates included (February 30th), so that the formatter decides
   * those (and words their errors) exactly as before. Days 29-31 take this path too: refusing them
   * sent every timestamp of the month's last days to the formatter (11 % of the speed layer's CPU
   * in a benchmark run on the 30th).
   */
  private static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || s.charAt(n - 1) != 'Z'
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = 0;
    if (n > 20) {
      int fraction = n - 21;
      if (s.charAt(19) != '.' || fraction < 1) {
        return null;
      }
      int value = digits(s, 20, n - 1);
      if (value < 0) {
        return null;
      }
      nanos = value * NANOS_PER_DIGIT[fraction];
    }
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return null;
    }
    long epochSecond =
        java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L
            + hour * 3_600L
            + minute * 60L
            + second;
    return Instant.ofEpochSecond(epochSecond, nanos - nanos % 1_000_000);
  }

  /** The decimal digits s[from, to) as an int, or -1 if any is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Formats a contract timestamp, e.g. {@code 2026-11-20T10:00:00.123Z}. */
  public static String formatInstant(Instant instant) {
    return MILLIS_UTC.format(instant);
  }

  private static ObjectMapper build() {
    SimpleModule instants = new SimpleModule("contract-instants");
    instants.addSerializer(Instant.class, new MillisInstantSerializer());
    instants.addDeserializer(Instant.class, new MillisInstantDeserializer());
    return JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        // Records serialize exactly their components: fields are the components, and no
        // getter-like helper method becomes a property.
        .visibility(PropertyAccessor.ALL, Visibility.NONE)
        .visibility(PropertyAccessor.FIELD, Visibility.ANY)
        .serializationInclusion(JsonInclude.Include.NON_NULL)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        // JavaTimeModule for other java.time types; the contract module registered after it
        // wins for Instant.
        .addModule(new JavaTimeModule())
        .addModule(instants)
        .build();
  }

  private static final class MillisInstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(formatInstant(value));
    }
  }

  /** Accepts only strings: epoch numbers are ambiguous (seconds or millis?) on the wire. */
  private static final class MillisInstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      if (p.currentToken() != JsonToken.VALUE_STRING) {
        return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
      }
      try {
        return parseInstant(p.getText());
      } catch (DateTimeException e) {
        return (Instant) ctxt.handleWeirdStringValue(Instant.class, p.getText(), e.getMessage());
      }
    }
  }
}
