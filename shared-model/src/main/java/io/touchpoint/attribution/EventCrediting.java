package io.touchpoint.attribution;

import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributionKind;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Outcome;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * Credits an in-app event: to the source of the device's install for the app's lifetime, and also
 * to a re-engaging source while its re-engagement window is open. After a reinstall the window did
 * not credit (REINSTALL), the events keep the original install's source, or count as organic when
 * the app says {@code events-after-reinstall = organic} ({@link EventsAfterReinstall}).
 */
public final class EventCrediting {
  private static final Comparator<Attribution> LATEST =
      Comparator.comparing(Attribution::eventTime).thenComparing(Attribution::candidateEventId);

  private EventCrediting() {}

  /**
   * @param deviceAttributions the verdicts of the event's device and app (any order)
   */
  public static AttributedEvent credit(
      InAppEvent event, Iterable<Attribution> deviceAttributions, AppRules rules) {
    Optional<Attribution> install =
        stream(deviceAttributions)
            .filter(a -> ownsLaterEvents(a, rules))
            .filter(a -> !a.eventTime().isAfter(event.eventTime()))
            .max(LATEST);
    Optional<Attribution> reEngagement =
        stream(deviceAttributions)
            .filter(a -> a.reEngagement() && a.outcome() == Outcome.ATTRIBUTED)
            .filter(a -> !a.eventTime().isAfter(event.eventTime()))
            .filter(
                a ->
                    Duration.between(a.eventTime(), event.eventTime())
                            .compareTo(rules.reEngagementWindow())
                        <= 0)
            .max(LATEST);
    Attribution i = install.orElse(null);
    Attribution r = reEngagement.orElse(null);
    boolean credited = i != null && i.outcome() == Outcome.ATTRIBUTED;
    return new AttributedEvent(
        event.eventId(),
        event.appId(),
        event.eventName(),
        event.eventTime(),
        event.receivedAt(),
        event.device().deviceKey(),
        event.device().platform(),
        event.device().country(),
        event.revenue(),
        event.currency(),
        i == null ? null : i.attributionId(),
        i == null ? null : i.eventTime(),
        i == null ? null : i.outcome(),
        credited ? i.mediaSource() : null,
        credited ? i.campaignId() : null,
        r == null ? null : r.attributionId(),
        r == null ? null : r.mediaSource(),
        r == null ? null : r.campaignId());
  }

  /**
   * Whether events after this verdict belong to it: installs and re-attributions always; a
   * not-credited reinstall only when its events count as organic (it has no source to credit).
   */
  public static boolean ownsLaterEvents(Attribution a, AppRules rules) {
    return a.kind() == AttributionKind.INSTALL
        || a.kind() == AttributionKind.RE_ATTRIBUTION
        || (a.kind() == AttributionKind.REINSTALL
            && rules.eventsAfterReinstall() == EventsAfterReinstall.ORGANIC);
  }

  private static java.util.stream.Stream<Attribution> stream(Iterable<Attribution> attributions) {
    return StreamSupport.stream(attributions.spliterator(), false);
  }
}
