package io.touchpoint.model.validation;

/**
 * Why an inbound payload was rejected. Machine-readable and stable: the names are written into dead
 * letters and dashboards, so they are only ever added, never renamed.
 */
public enum ReasonCode {
  /** Larger than the policy's max payload size; not parsed at all. */
  PAYLOAD_TOO_LARGE,
  /** Not valid UTF-8. */
  UNDECODABLE_BYTES,
  /** Not one JSON document: syntax error, empty, duplicate key, NaN/Infinity literal. */
  MALFORMED_JSON,
  /** The top level is not an object, or a field has the wrong JSON type. */
  WRONG_JSON_TYPE,
  /** A required field is absent or null. */
  MISSING_FIELD,
  /** A string field is empty or only whitespace. */
  BLANK_FIELD,
  /** {@code event_id} is not a UUID in its 8-4-4-4-12 hex form. */
  BAD_UUID,
  /** {@code event_type} is not one of the contract's wire names. */
  UNKNOWN_EVENT_TYPE,
  /** A timestamp is not an ISO-8601 date-time with an offset. */
  BAD_TIMESTAMP,
  /**
   * {@code event_time} after {@code received_at}, or {@code received_at} after now, beyond the
   * tolerance.
   */
  TIMESTAMP_IN_FUTURE,
  /** {@code event_time} older than the retention before {@code received_at}. */
  TIMESTAMP_TOO_OLD,
  /** {@code revenue} below zero. */
  NEGATIVE_REVENUE,
  /** {@code revenue} is a number too large for a double (overflows to infinity). */
  NON_FINITE_REVENUE,
  /** A currency is not an ISO-4217 code known to {@code java.util.Currency}. */
  BAD_CURRENCY,
  /** {@code device.platform} is neither {@code ios} nor {@code android}. */
  UNKNOWN_PLATFORM,
  /** {@code device.country} is not an ISO-3166 alpha-2 code. */
  BAD_COUNTRY,
  /** The device block has no identifier the event could be keyed or matched by. */
  NO_DEVICE_ID,
  /** {@code cost_value} is negative or not finite. */
  BAD_COST
}
