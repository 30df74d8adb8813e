package io.touchpoint.attribution;

import java.util.List;

/** A rules file with problems; lists every problem found, not just the first. */
public class RulesConfigException extends RuntimeException {
  private final List<String> problems;

  public RulesConfigException(String source, List<String> problems) {
    super("invalid attribution rules in " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
