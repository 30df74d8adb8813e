package io.touchpoint.streaming.pipeline;

import io.touchpoint.attribution.AppRules;
import io.touchpoint.attribution.SourceRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Helpers the operators share. */
final class Envelopes {
  /**
   * The order in which an operator applies one key's rows of a micro-batch: by {@code received_at},
   * then touches before candidates before in-app events (so a touch received at the same
   * millisecond as an install counts for it), then by event id. Applying rows in this order, and
   * filtering held rows by {@code received_at}, makes a verdict independent of where micro-batch
   * boundaries fall (docs/streaming.md, "Ordering").
   */
  static final Comparator<Envelope> ARRIVAL =
      Comparator.comparingLong(Envelope::getReceivedAt)
          .thenComparingInt(Envelopes::rank)
          .thenComparing(Envelope::getEventId, Comparator.nullsFirst(Comparator.naturalOrder()));

  private Envelopes() {}

  private static int rank(Envelope e) {
    return switch (e.getRole()) {
      case Roles.TOUCH -> 0;
      case Roles.PROBE, Roles.CANDIDATE, Roles.PARTIAL -> 1;
      default -> 2;
    };
  }

  static <T> List<T> drain(scala.collection.Iterator<T> rows) {
    List<T> list = new ArrayList<>();
    while (rows.hasNext()) {
      list.add(rows.next());
    }
    return list;
  }

  static <T> scala.collection.Iterator<T> iterator(List<T> list) {
    return scala.jdk.javaapi.CollectionConverters.asScala(list.iterator());
  }

  /** A copy of a row re-purposed (pass-through, partial, output). */
  static Envelope copy(Envelope e, int role, String key) {
    Envelope c = new Envelope();
    c.setKey(key);
    c.setTarget(e.getTarget());
    c.setRole(role);
    c.setEventId(e.getEventId());
    c.setAppId(e.getAppId());
    c.setEventTime(e.getEventTime());
    c.setReceivedAt(e.getReceivedAt());
    c.setPayload(e.getPayload());
    c.setExtra(e.getExtra());
    return c;
  }

  /** The longest age at which any touch can still qualify under an app's rules. */
  static long horizonMillis(AppRules rules) {
    Duration longest = max(rules.clickLookback(), rules.viewThroughLookback());
    for (SourceRules s : rules.mediaSources().values()) {
      longest = max(longest, max(s.clickLookback(), s.viewThroughLookback()));
    }
    return longest.toMillis();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
