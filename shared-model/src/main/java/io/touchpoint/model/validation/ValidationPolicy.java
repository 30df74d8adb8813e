package io.touchpoint.model.validation;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;

/**
 * The limits {@link EventValidator} applies. Defaults live in {@code validation.conf} (HOCON,
 * overridable by environment variables named there).
 *
 * @param maxPayloadBytes larger payloads are rejected unparsed
 * @param futureTolerance how far {@code event_time} may lie after {@code received_at}, and {@code
 *     received_at} after now (device and collector clocks drift)
 * @param retention how far {@code event_time} may lie before {@code received_at}; older events fall
 *     outside every attribution window and every report the speed layer serves
 */
public record ValidationPolicy(int maxPayloadBytes, Duration futureTolerance, Duration retention) {

  public ValidationPolicy {
    if (maxPayloadBytes <= 0) {
      throw new IllegalArgumentException("max-payload-bytes must be positive: " + maxPayloadBytes);
    }
    if (futureTolerance.isNegative()) {
      throw new IllegalArgumentException(
          "future-tolerance must not be negative: " + futureTolerance);
    }
    if (retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention must be positive: " + retention);
    }
  }

  /** The packaged defaults with environment overrides applied. */
  public static ValidationPolicy load() {
    return fromConfig(ConfigFactory.parseResources("validation.conf").resolve());
  }

  /** Reads the {@code touchpoint.validation} block of an already resolved config. */
  public static ValidationPolicy fromConfig(Config config) {
    Config c = config.getConfig("touchpoint.validation");
    long bytes = c.getMemorySize("max-payload-bytes").toBytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("max-payload-bytes too large: " + bytes);
    }
    return new ValidationPolicy(
        (int) bytes, c.getDuration("future-tolerance"), c.getDuration("retention"));
  }
}
