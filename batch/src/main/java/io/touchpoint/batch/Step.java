package io.touchpoint.batch;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The steps of one day, in the order they run. */
public enum Step {
  COMPACT,
  ATTRIBUTE,
  AGGREGATE,
  EXPORT,
  RECONCILE;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code compact,attribute} (any case, any order); blank or null = all steps. */
  public static Set<Step> parse(String list) {
    if (list == null || list.isBlank()) {
      return EnumSet.allOf(Step.class);
    }
    Set<Step> steps = EnumSet.noneOf(Step.class);
    List<String> unknown = new ArrayList<>();
    for (String s : list.split(",")) {
      String name = s.trim().toUpperCase(Locale.ROOT);
      if (name.isEmpty()) {
        continue;
      }
      try {
        steps.add(Step.valueOf(name));
      } catch (IllegalArgumentException e) {
        unknown.add(s.trim());
      }
    }
    if (!unknown.isEmpty() || steps.isEmpty()) {
      throw new IllegalArgumentException(
          "unknown step(s) "
              + unknown
              + "; steps are compact, attribute, aggregate, export, reconcile");
    }
    return steps;
  }
}
