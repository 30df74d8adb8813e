package io.touchpoint.bench.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.touchpoint.model.validation.EventValidator;
import io.touchpoint.model.validation.ValidationPolicy;
import io.touchpoint.model.validation.ValidationResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The generator alone: seeded, every kind, and each payload rejected by the contract's validator.
 */
class HostileRecordsTest {
  static final String CLICK =
      "{\"event_id\":\"0b5f3c3e-8a1e-4c53-9c57-6f3c1d2e4a5b\",\"event_type\":\"click\","
          + "\"app_id\":\"app-1\",\"event_time\":\"2026-01-01T10:00:00Z\",\"received_at\":\"2026-01-01T10:00:01Z\","
          + "\"device\":{\"platform\":\"ios\",\"advertising_id\":\"a1\",\"ip\":\"10.0.0.1\",\"user_agent\":\"ua\"},"
          + "\"media_source\":\"net\",\"campaign_id\":\"c1\",\"click_id\":\"k1\"}";
  static final String PURCHASE =
      "{\"event_id\":\"1b5f3c3e-8a1e-4c53-9c57-6f3c1d2e4a5b\",\"event_type\":\"in_app_event\","
          + "\"app_id\":\"app-1\",\"event_time\":\"2026-01-01T10:00:00Z\",\"received_at\":\"2026-01-01T10:00:01Z\","
          + "\"device\":{\"platform\":\"android\",\"advertising_id\":\"a2\"},\"event_name\":\"purchase\","
          + "\"revenue\":9.99,\"currency\":\"EUR\"}";

  private HostileRecords generator(long seed) {
    return new HostileRecords(
        seed,
        List.of(
            new HostileRecords.Template("touchpoints", CLICK.getBytes(StandardCharsets.UTF_8)),
            new HostileRecords.Template("app-events", PURCHASE.getBytes(StandardCharsets.UTF_8))),
        64 * 1024,
        900_000);
  }

  @Test
  void theTemplatesAreValidAndEveryGeneratedPayloadIsRejected() {
    EventValidator validator = new EventValidator(ValidationPolicy.load());
    Instant now = Instant.parse("2026-01-01T12:00:00Z");
    assertThat(validator.validate(CLICK.getBytes(StandardCharsets.UTF_8), now).isValid()).isTrue();
    assertThat(validator.validate(PURCHASE.getBytes(StandardCharsets.UTF_8), now).isValid())
        .isTrue();
    List<HostileRecords.Hostile> all = generator(3).generate(3000, 300);
    Map<HostileRecords.Kind, Integer> byKind = HostileRecords.countByKind(all);
    assertThat(byKind).hasSize(HostileRecords.Kind.values().length);
    assertThat(byKind.get(HostileRecords.Kind.MEGABYTE_STRING)).isEqualTo(10);
    for (HostileRecords.Hostile h : all) {
      ValidationResult r = validator.validate(h.value(), now);
      assertThat(r.isValid())
          .as(
              "%s accepted: %s",
              h.kind(),
              h.value() == null
                  ? "null"
                  : new String(
                      h.value(), 0, Math.min(300, h.value().length), StandardCharsets.UTF_8))
          .isFalse();
    }
  }

  @Test
  void theSameSeedGivesTheSamePayloads() {
    List<HostileRecords.Hostile> a = generator(9).generate(200, 0);
    List<HostileRecords.Hostile> b = generator(9).generate(200, 0);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).value()).isEqualTo(b.get(i).value());
    }
  }
}
