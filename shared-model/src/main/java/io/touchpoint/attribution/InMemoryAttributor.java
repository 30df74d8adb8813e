package io.touchpoint.attribution;

import io.touchpoint.model.Attribution;
import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Event;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attributes a whole, de-duplicated set of events on one machine, in plain Java: gathers each
 * candidate's possible touches through the three match keys ({@link MatchKeys}), finds the device's previous
 * install, calls {@link AttributionEngine}, then applies the whole-day flooding signal and
 * credits in-app events. The reference the Spark jobs are checked against (check-truth, tests).
 */
public final class InMemoryAttributor {
  private final RulesConfig rules;
  private final Map<String, List<Touchpoint>> byMatchKey = new HashMap<>();
  private final Map<SiteDay, Long> clicksPerSiteDay = new HashMap<>();
  private final List<Install> installs = new ArrayList<>();
  private final List<Session> linkedSessions = new ArrayList<>();
  private final List<InAppEvent> inAppEvents = new ArrayList<>();

  /** The result: every candidate's verdict and every in-app event credited. */
  public record Result(List<Attribution> attributions, List<AttributedEvent> attributedEvents, Set<SiteDay> floodingSites) {}

  /** A publisher site on one UTC day. */
  public record SiteDay(String appId, String siteId, LocalDate day) {}

  public InMemoryAttributor(RulesConfig rules) {
    this.rules = rules;
  }

  /** Adds events; the caller has already validated and de-duplicated them by event id. */
  public void addAll(Iterable<? extends Event> events) {
    for (Event e : events) {
      add(e);
    }
  }

  public void add(Event event) {
    if (event instanceof Touchpoint t) {
      index(t);
    } else if (event instanceof Install i) {
      installs.add(i);
    } else if (event instanceof Session s && Candidate.isReEngagement(s)) {
      linkedSessions.add(s);
    } else if (event instanceof InAppEvent e) {
      inAppEvents.add(e);
    }
  }

  public Result run() {
    List<Attribution> verdicts = new ArrayList<>(installs.size() + linkedSessions.size());
    installs.sort(Comparator.comparing(Install::eventTime).thenComparing(Install::eventId));
    Map<String, Instant> lastInstall = new HashMap<>();
    for (Install install : installs) {
      String device = install.appId() + "|" + install.device().deviceKey();
      Candidate candidate = Candidate.of(install);
      verdicts.add(AttributionEngine.attribute(candidate, touchesFor(candidate), lastInstall.get(device),
          rules.rulesFor(install.appId())));
      lastInstall.put(device, install.eventTime());
    }
    for (Session session : linkedSessions) {
      Candidate candidate = Candidate.of(session);
      verdicts.add(AttributionEngine.attribute(candidate, touchesFor(candidate), null, rules.rulesFor(session.appId())));
    }
    Set<SiteDay> flooding = floodingSites(verdicts);
    List<Attribution> finalVerdicts = new ArrayList<>(verdicts.size());
    for (Attribution a : verdicts) {
      boolean flagged = ClickFloodingDetector.countsForSite(a)
          && flooding.contains(new SiteDay(a.appId(), a.siteId(), utcDay(a.eventTime())));
      finalVerdicts.add(flagged ? ClickFloodingDetector.reject(a) : a);
    }
    return new Result(finalVerdicts, credit(finalVerdicts), flooding);
  }

  private void index(Touchpoint t) {
    for (String key : MatchKeys.forTouch(t)) {
      byMatchKey.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    if (t.isClick() && t.clickId() != null) {
      clicksPerSiteDay.merge(new SiteDay(t.appId(), t.siteId(), utcDay(t.eventTime())), 1L, Long::sum);
    }
  }

  private Set<Touchpoint> touchesFor(Candidate c) {
    Set<Touchpoint> touches = new LinkedHashSet<>();
    for (String key : MatchKeys.forCandidate(c, rules.rulesFor(c.appId()).probabilisticEnabled())) {
      touches.addAll(byMatchKey.getOrDefault(key, List.of()));
    }
    return touches;
  }

  private Set<SiteDay> floodingSites(List<Attribution> verdicts) {
    Map<SiteDay, long[]> installs = new HashMap<>(); // [installs, within first hour]
    for (Attribution a : verdicts) {
      if (ClickFloodingDetector.countsForSite(a)) {
        long[] n = installs.computeIfAbsent(new SiteDay(a.appId(), a.siteId(), utcDay(a.eventTime())), k -> new long[2]);
        n[0]++;
        n[1] += ClickFloodingDetector.withinFirstHour(a) ? 1 : 0;
      }
    }
    Set<SiteDay> flagged = new HashSet<>();
    clicksPerSiteDay.forEach((site, clicks) -> {
      long[] n = installs.getOrDefault(site, new long[2]);
      SiteDayStats stats = new SiteDayStats(site.appId(), site.siteId(), site.day(), clicks, n[0], n[1]);
      if (ClickFloodingDetector.isFlooding(stats, rules.flooding())) {
        flagged.add(site);
      }
    });
    return flagged;
  }

  private List<AttributedEvent> credit(List<Attribution> verdicts) {
    Map<String, List<Attribution>> byDevice = new HashMap<>();
    for (Attribution a : verdicts) {
      byDevice.computeIfAbsent(a.appId() + "|" + a.deviceKey(), k -> new ArrayList<>()).add(a);
    }
    List<AttributedEvent> credited = new ArrayList<>(inAppEvents.size());
    for (InAppEvent e : inAppEvents) {
      List<Attribution> device = byDevice.getOrDefault(e.appId() + "|" + e.device().deviceKey(), List.of());
      credited.add(EventCrediting.credit(e, device, rules.rulesFor(e.appId())));
    }
    return credited;
  }

  public static LocalDate utcDay(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
