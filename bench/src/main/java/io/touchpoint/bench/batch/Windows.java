package io.touchpoint.bench.batch;

import io.touchpoint.attribution.AppRules;
import java.time.Duration;

/**
 * The two windows of the comparable computation, taken from shared-model's default rules (the rules
 * the production step applies to the generated apps): the click lookback and the view-through
 * lookback. Both boundaries are inclusive at the far end and exclusive at the install.
 */
public record Windows(Duration click, Duration view) {
  public static Windows defaults() {
    AppRules rules = AppRules.defaults();
    return new Windows(rules.clickLookback(), rules.viewThroughLookback());
  }

  public long clickMicros() {
    return click.toNanos() / 1000;
  }

  public long viewMicros() {
    return view.toNanos() / 1000;
  }
}
