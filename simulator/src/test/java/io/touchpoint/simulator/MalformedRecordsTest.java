package io.touchpoint.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationPolicy;
import io.touchpoint.model.validation.ValidationResult;
import io.touchpoint.model.validation.Violation;
import io.touchpoint.simulator.delivery.Breakage;
import io.touchpoint.simulator.truth.MalformedTruth;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract's validator gives every malformed record exactly its expected reason, and passes
 * every other one.
 */
class MalformedRecordsTest {
  /** Past every simulated received_at: the "received in the future" check stays quiet. */
  private static final Instant NOW = Instant.parse("2100-01-01T00:00:00Z");

  private final EventValidator validator = new EventValidator(ValidationPolicy.load());

  @Test
  void eachMalformedRecordFailsWithExactlyItsExpectedReason() {
    List<String> wrong = new ArrayList<>();
    TestRuns.moderate()
        .data()
        .forEachRecord(
            r -> {
              if (r.isMalformed()) {
                ValidationResult v = validator.validate(r.payload(), NOW);
                List<String> codes = v.violations().stream().map(x -> x.code().name()).toList();
                if (!codes.equals(List.of(r.expected().reasonCode()))) {
                  wrong.add(
                      r.expected().kind()
                          + " expected "
                          + r.expected().reasonCode()
                          + " got "
                          + codes
                          + ": "
                          + v.violations().stream().map(Violation::describe).toList());
                }
              }
            });
    assertThat(wrong).isEmpty();
  }

  @Test
  void everyOtherRecordIsValid() {
    List<String> invalid = new ArrayList<>();
    // a systematic sample keeps the test quick; every record type is frequent enough to be in it
    TestRuns.moderate()
        .data()
        .forEachRecord(
            r -> {
              if (!r.isMalformed() && r.position() % 4 == 0) {
                ValidationResult v = validator.validate(r.payload(), NOW);
                if (!v.isValid()) {
                  invalid.add(v.violations() + " " + r.text());
                }
              }
            });
    assertThat(invalid).isEmpty();
  }

  @Test
  void everyBreakageAppearsAndItsBase64PayloadIsTheLineItself() {
    List<MalformedTruth> truth = TestRuns.moderate().data().malformedTruth();
    Set<String> kinds = truth.stream().map(MalformedTruth::kind).collect(Collectors.toSet());
    assertThat(kinds)
        .containsAll(EnumSet.allOf(Breakage.class).stream().map(Breakage::label).toList());
    TestRuns.moderate()
        .data()
        .forEachRecord(
            r -> {
              if (r.isMalformed()) {
                assertThat(Base64.getDecoder().decode(r.expected().payloadBase64()))
                    .isEqualTo(r.payload());
              }
            });
  }
}
