package io.touchpoint.model.schema;

import static io.touchpoint.model.Fixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.DeadLetter;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.FraudReason;
import io.touchpoint.model.MatchType;
import io.touchpoint.model.Outcome;
import io.touchpoint.model.TouchType;
import io.touchpoint.model.json.ContractJson;
import io.touchpoint.model.validation.DeadLetters;
import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.Payloads;
import io.touchpoint.model.validation.Payloads.Case;
import io.touchpoint.model.validation.ReasonCode;
import io.touchpoint.model.validation.ValidationPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The published JSON Schemas and the Java validator judge the same payloads alike. */
class JsonSchemaTest {

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

  private static final Schema EVENT = schema("event");
  private static final Schema ATTRIBUTION_SCHEMA = schema("attribution");
  private static final Schema ATTRIBUTED_EVENT_SCHEMA = schema("attributed-event");
  private static final Schema DEAD_LETTER_SCHEMA = schema("dead-letter");

  private final EventValidator validator = new EventValidator(ValidationPolicy.load());

  static Stream<Case> allPayloads() {
    return Stream.concat(Payloads.valid().stream(), Payloads.invalid().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("allPayloads")
  void schemaAndJavaValidatorAgreeOnValidity(Case c) {
    boolean javaValid = validator.validate(c.payload(), Payloads.NOW).isValid();
    boolean schemaValid = schemaAccepts(c.payload());

    assertThat(javaValid).as("java validator").isEqualTo(c.expected().isEmpty());
    // Rules only the Java validator can check are the one, named, exception.
    assertThat(schemaValid).as("schema").isEqualTo(javaValid || c.javaOnly());
  }

  @Test
  void everyFixtureEventConformsToTheSchema() {
    for (Event event : EVENTS) {
      assertThat(EVENT.validate(tree(event))).as(event.eventType().wireName()).isEmpty();
    }
  }

  @Test
  void outputsConformToTheirSchemas() {
    assertThat(ATTRIBUTION_SCHEMA.validate(tree(ATTRIBUTION))).isEmpty();
    assertThat(ATTRIBUTION_SCHEMA.validate(tree(ORGANIC))).isEmpty();
    assertThat(ATTRIBUTED_EVENT_SCHEMA.validate(tree(ATTRIBUTED_EVENT))).isEmpty();
    assertThat(DEAD_LETTER_SCHEMA.validate(tree(DEAD_LETTER))).isEmpty();

    byte[] garbage = {(byte) 0xFF, 0x00};
    DeadLetter letter =
        DeadLetters.of(
            garbage,
            validator.validate(garbage, Payloads.NOW).violations(),
            "touchpoints",
            0,
            1L,
            Payloads.NOW);
    assertThat(DEAD_LETTER_SCHEMA.validate(tree(letter))).isEmpty();
  }

  @Test
  void outputSchemasRejectBrokenOutputs() {
    ObjectNode noKind = tree(ATTRIBUTION).deepCopy();
    noKind.remove("kind");
    assertThat(ATTRIBUTION_SCHEMA.validate(noKind)).isNotEmpty();

    ObjectNode unknownReason = tree(DEAD_LETTER).deepCopy();
    unknownReason.putArray("reason_codes").add("SOMETHING_ELSE");
    assertThat(DEAD_LETTER_SCHEMA.validate(unknownReason)).isNotEmpty();

    ObjectNode negativeRevenue = tree(ATTRIBUTED_EVENT).deepCopy();
    negativeRevenue.put("revenue", -1);
    assertThat(ATTRIBUTED_EVENT_SCHEMA.validate(negativeRevenue)).isNotEmpty();
  }

  @Test
  void schemaEnumsMatchTheJavaEnums() {
    assertThat(enumValues(EVENT.getSchemaNode().at("/properties/event_type/enum")))
        .containsExactlyElementsOf(
            Arrays.stream(EventType.values()).map(EventType::wireName).toList());
    JsonNode attribution = ATTRIBUTION_SCHEMA.getSchemaNode();
    assertThat(enumValues(attribution.at("/properties/kind/enum")))
        .containsExactlyElementsOf(names(AttributionKind.values()));
    assertThat(enumValues(attribution.at("/properties/outcome/enum")))
        .containsExactlyElementsOf(names(Outcome.values()));
    assertThat(enumValues(attribution.at("/$defs/matchType/enum")))
        .containsExactlyElementsOf(names(MatchType.values()));
    assertThat(enumValues(attribution.at("/$defs/touchType/enum")))
        .containsExactlyElementsOf(names(TouchType.values()));
    assertThat(enumValues(attribution.at("/properties/fraud_reasons/items/enum")))
        .containsExactlyElementsOf(names(FraudReason.values()));
    assertThat(
            enumValues(
                DEAD_LETTER_SCHEMA.getSchemaNode().at("/properties/reason_codes/items/enum")))
        .containsExactlyElementsOf(names(ReasonCode.values()));
  }

  /** A payload that is not UTF-8 JSON is no instance at all, so no schema accepts it. */
  private static boolean schemaAccepts(byte[] payload) {
    JsonNode instance;
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(payload)).toString();
      instance = ContractJson.mapper().readTree(text);
    } catch (CharacterCodingException | JsonProcessingException e) {
      return false;
    }
    return !instance.isMissingNode() && EVENT.validate(instance).isEmpty();
  }

  private static Schema schema(String name) {
    return REGISTRY.getSchema(SchemaLocation.of("classpath:schema/" + name + ".schema.json"));
  }

  private static ObjectNode tree(Object value) {
    return ContractJson.mapper().valueToTree(value);
  }

  private static List<String> enumValues(JsonNode array) {
    assertThat(array.isArray()).as("enum array").isTrue();
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }
}
