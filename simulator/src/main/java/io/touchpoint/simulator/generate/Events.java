package io.touchpoint.simulator.generate;

import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.time.Instant;

/** Copies of contract records with the collector's receive time set. */
final class Events {
  private Events() {}

  static Event withReceivedAt(Event e, Instant at) {
    if (e instanceof Touchpoint t) {
      return new Touchpoint(
          t.eventId(),
          t.eventType(),
          t.appId(),
          t.eventTime(),
          at,
          t.device(),
          t.mediaSource(),
          t.campaignId(),
          t.campaign(),
          t.adset(),
          t.ad(),
          t.siteId(),
          t.clickId(),
          t.retargeting(),
          t.costModel(),
          t.costValue(),
          t.costCurrency());
    }
    if (e instanceof Install i) {
      return new Install(
          i.eventId(),
          i.eventType(),
          i.appId(),
          i.eventTime(),
          at,
          i.device(),
          i.referrerClickId(),
          i.installBeginTime(),
          i.sdkVersion());
    }
    if (e instanceof Session s) {
      return new Session(
          s.eventId(),
          s.eventType(),
          s.appId(),
          s.eventTime(),
          at,
          s.device(),
          s.deepLinkClickId());
    }
    InAppEvent a = (InAppEvent) e;
    return new InAppEvent(
        a.eventId(),
        a.eventType(),
        a.appId(),
        a.eventTime(),
        at,
        a.device(),
        a.eventName(),
        a.revenue(),
        a.currency());
  }
}
