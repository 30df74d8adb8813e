package io.touchpoint.model.validation;

/** One broken rule: which, on which field (JSON path such as {@code device.platform}), and how. */
public record Violation(ReasonCode code, String field, String detail) {

  /** The text a dead letter carries next to the code. */
  public String describe() {
    return field + ": " + detail;
  }
}
