package io.touchpoint.attribution;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Deterministic ids, so both layers and every replay name the same verdict the same way. */
public final class AttributionIds {
  private AttributionIds() {}

  public static String attributionId(String candidateEventId) {
    return UUID.nameUUIDFromBytes(
            ("attribution:" + candidateEventId).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
