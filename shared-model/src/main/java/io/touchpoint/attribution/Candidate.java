package io.touchpoint.attribution;

import io.touchpoint.model.Device;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import java.time.Instant;

/**
 * A conversion to attribute: an install (at its first open) or a session opened through a link (a
 * re-engagement). {@code linkClickId} is the store referrer's click id for an install, the deep
 * link's for a session.
 */
public record Candidate(
    boolean reEngagement,
    String eventId,
    String appId,
    Instant time,
    Instant receivedAt,
    Device device,
    String linkClickId,
    Instant installBeginTime) {

  public static Candidate of(Install install) {
    return new Candidate(
        false,
        install.eventId(),
        install.appId(),
        install.eventTime(),
        install.receivedAt(),
        install.device(),
        install.referrerClickId(),
        install.installBeginTime());
  }

  /** A session is a candidate only when a link opened it; see {@link #isReEngagement(Session)}. */
  public static Candidate of(Session session) {
    return new Candidate(
        true,
        session.eventId(),
        session.appId(),
        session.eventTime(),
        session.receivedAt(),
        session.device(),
        session.deepLinkClickId(),
        null);
  }

  public static boolean isReEngagement(Session session) {
    return session.deepLinkClickId() != null && !session.deepLinkClickId().isBlank();
  }
}
