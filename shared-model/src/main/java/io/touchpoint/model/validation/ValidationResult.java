package io.touchpoint.model.validation;

import io.touchpoint.model.Event;
import java.util.List;

/** Either the parsed event (no violations) or every violation found (no event). */
public record ValidationResult(Event event, List<Violation> violations) {

  public ValidationResult {
    violations = List.copyOf(violations);
    if ((event == null) == violations.isEmpty()) {
      throw new IllegalArgumentException("exactly one of event and violations must be given");
    }
  }

  static ValidationResult valid(Event event) {
    return new ValidationResult(event, List.of());
  }

  static ValidationResult invalid(List<Violation> violations) {
    return new ValidationResult(null, violations);
  }

  public boolean isValid() {
    return event != null;
  }
}
