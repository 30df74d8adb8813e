package io.touchpoint.simulator.delivery;

import io.touchpoint.model.EventType;
import io.touchpoint.model.validation.ReasonCode;

/**
 * The ways a payload is broken, each producing exactly one violation whose reason code the
 * validator ({@code io.touchpoint.model.validation.EventValidator}) must report.
 */
public enum Breakage {
  TRUNCATED_JSON(ReasonCode.MALFORMED_JSON, 1),
  DUPLICATE_KEY(ReasonCode.MALFORMED_JSON, 0.5),
  NOT_AN_OBJECT(ReasonCode.WRONG_JSON_TYPE, 0.5),
  WRONG_FIELD_TYPE(ReasonCode.WRONG_JSON_TYPE, 1),
  MISSING_FIELD(ReasonCode.MISSING_FIELD, 1),
  BLANK_FIELD(ReasonCode.BLANK_FIELD, 1),
  BAD_UUID(ReasonCode.BAD_UUID, 1),
  UNKNOWN_EVENT_TYPE(ReasonCode.UNKNOWN_EVENT_TYPE, 1),
  BAD_TIMESTAMP(ReasonCode.BAD_TIMESTAMP, 1),
  FUTURE_EVENT_TIME(ReasonCode.TIMESTAMP_IN_FUTURE, 1),
  TOO_OLD(ReasonCode.TIMESTAMP_TOO_OLD, 0.5),
  NEGATIVE_REVENUE(ReasonCode.NEGATIVE_REVENUE, 3),
  NON_FINITE_REVENUE(ReasonCode.NON_FINITE_REVENUE, 2),
  BAD_CURRENCY(ReasonCode.BAD_CURRENCY, 1),
  UNKNOWN_PLATFORM(ReasonCode.UNKNOWN_PLATFORM, 1),
  BAD_COUNTRY(ReasonCode.BAD_COUNTRY, 0.5),
  NO_DEVICE_ID(ReasonCode.NO_DEVICE_ID, 0.5),
  BAD_COST(ReasonCode.BAD_COST, 0.5),
  OVERSIZE(ReasonCode.PAYLOAD_TOO_LARGE, 0.2),
  UNDECODABLE_BYTES(ReasonCode.UNDECODABLE_BYTES, 1);

  private final ReasonCode reason;
  private final double weight;

  Breakage(ReasonCode reason, double weight) {
    this.reason = reason;
    this.weight = weight;
  }

  public ReasonCode reason() {
    return reason;
  }

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Relative frequency among the breakages that apply to an event type (0 when it does not). */
  double weightFor(EventType type) {
    return switch (this) {
      case NEGATIVE_REVENUE, NON_FINITE_REVENUE -> type == EventType.IN_APP_EVENT ? weight : 0;
      case BAD_COST -> type.isTouch() ? weight : 0;
      case BAD_CURRENCY -> type.isTouch() || type == EventType.IN_APP_EVENT ? weight : 0;
      default -> weight;
    };
  }
}
