package io.touchpoint.attribution;

import io.touchpoint.model.AttributedEvent;
import io.touchpoint.model.Attribution;
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
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Attributes a whole set of events on one machine, in plain Java: ignores a second copy of an event
 * id, gathers each candidate's possible touches through the three match keys ({@link MatchKeys}),
 * finds the install that opened the device's re-attribution window ({@link ReAttributionWindow}),
 * calls {@link AttributionEngine}, then applies the whole-day flooding signal, credits in-app
 * events and counts day-N retention ({@link Retention}). The reference the Spark jobs are checked
 * against (check-truth, tests).
 */
public final class InMemoryAttributor {
  private final RulesConfig rules;
  private final Map<String, List<Touchpoint>> byMatchKey = new HashMap<>();
  private final Map<SiteDay, Long> clicksPerSiteDay = new HashMap<>();
  private final List<Install> installs = new ArrayList<>();
  private final List<Session> linkedSessions = new ArrayList<>();
  private final List<InAppEvent> inAppEvents = new ArrayList<>();
  private final List<Session> sessions = new ArrayList<>();
  private final Set<String> eventIds = new HashSet<>();
  private long duplicates;

  /**
   * The result: every candidate's verdict, every in-app event credited, the flooding site-days, and
   * for each install or re-attribution (by candidate event id) the reported day-N points on which
   * its device was active ({@link Retention}); cohorts never seen again map to an empty set.
   */
  public record Result(
      List<Attribution> attributions,
      List<AttributedEvent> attributedEvents,
      Set<SiteDay> floodingSites,
      Map<String, SortedSet<Integer>> retainedDays) {}

  /** A publisher site on one UTC day. */
  public record SiteDay(String appId, String siteId, LocalDate day) {}

  public InMemoryAttributor(RulesConfig rules) {
    this.rules = rules;
  }

  /**
   * Adds validated events; a second copy of an event id is ignored (the first one added stands).
   */
  public void addAll(Iterable<? extends Event> events) {
    for (Event e : events) {
      add(e);
    }
  }

  /**
   * Adds one validated event; returns false (and ignores it) when its event id was added before.
   */
  public boolean add(Event event) {
    if (!eventIds.add(event.eventId())) {
      duplicates++;
      return false;
    }
    if (event instanceof Session s) {
      sessions.add(s);
    }
    if (event instanceof Touchpoint t) {
      index(t);
    } else if (event instanceof Install i) {
      installs.add(i);
    } else if (event instanceof Session s && Candidate.isReEngagement(s)) {
      linkedSessions.add(s);
    } else if (event instanceof InAppEvent e) {
      inAppEvents.add(e);
    }
    return true;
  }

  /** Copies of an already added event id that were ignored. */
  public long duplicatesIgnored() {
    return duplicates;
  }

  public Result run() {
    List<Attribution> verdicts = new ArrayList<>(installs.size() + linkedSessions.size());
    installs.sort(Comparator.comparing(Install::eventTime).thenComparing(Install::eventId));
    Map<String, Instant> anchors = new HashMap<>(); // the install that opened each device's window
    for (Install install : installs) {
      String device = install.appId() + "|" + install.device().deviceKey();
      Candidate candidate = Candidate.of(install);
      AppRules appRules = rules.rulesFor(install.appId());
      Instant anchor = anchors.get(device);
      verdicts.add(AttributionEngine.attribute(candidate, touchesFor(candidate), anchor, appRules));
      anchors.put(device, ReAttributionWindow.next(anchor, install.eventTime(), appRules));
    }
    for (Session session : linkedSessions) {
      Candidate candidate = Candidate.of(session);
      verdicts.add(
          AttributionEngine.attribute(
              candidate, touchesFor(candidate), null, rules.rulesFor(session.appId())));
    }
    Set<SiteDay> flooding = floodingSites(verdicts);
    List<Attribution> finalVerdicts = new ArrayList<>(verdicts.size());
    for (Attribution a : verdicts) {
      boolean flagged =
          ClickFloodingDetector.countsForSite(a)
              && flooding.contains(new SiteDay(a.appId(), a.siteId(), utcDay(a.eventTime())));
      finalVerdicts.add(flagged ? ClickFloodingDetector.reject(a) : a);
    }
    Map<String, List<Attribution>> byDevice = byDevice(finalVerdicts);
    return new Result(
        finalVerdicts, credit(byDevice), flooding, retention(finalVerdicts, byDevice));
  }

  private void index(Touchpoint t) {
    for (String key : MatchKeys.forTouch(t)) {
      byMatchKey.computeIfAbsent(key, k -> new ArrayList<>()).add(t);
    }
    if (ClickFloodingDetector.countsAsClick(t.isClick(), t.clickId())) {
      clicksPerSiteDay.merge(
          new SiteDay(t.appId(), t.siteId(), utcDay(t.eventTime())), 1L, Long::sum);
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
        long[] n =
            installs.computeIfAbsent(
                new SiteDay(a.appId(), a.siteId(), utcDay(a.eventTime())), k -> new long[2]);
        n[0]++;
        n[1] += ClickFloodingDetector.withinFirstHour(a) ? 1 : 0;
      }
    }
    Set<SiteDay> flagged = new HashSet<>();
    clicksPerSiteDay.forEach(
        (site, clicks) -> {
          long[] n = installs.getOrDefault(site, new long[2]);
          SiteDayStats stats =
              new SiteDayStats(site.appId(), site.siteId(), site.day(), clicks, n[0], n[1]);
          if (ClickFloodingDetector.isFlooding(stats, rules.flooding())) {
            flagged.add(site);
          }
        });
    return flagged;
  }

  private static Map<String, List<Attribution>> byDevice(List<Attribution> verdicts) {
    Map<String, List<Attribution>> byDevice = new HashMap<>();
    for (Attribution a : verdicts) {
      byDevice.computeIfAbsent(a.appId() + "|" + a.deviceKey(), k -> new ArrayList<>()).add(a);
    }
    return byDevice;
  }

  private Map<String, SortedSet<Integer>> retention(
      List<Attribution> verdicts, Map<String, List<Attribution>> byDevice) {
    Map<String, SortedSet<Integer>> retained = new HashMap<>();
    for (Attribution a : verdicts) {
      if (Retention.startsCohort(a)) {
        retained.put(a.candidateEventId(), new TreeSet<>());
      }
    }
    for (Session s : sessions) {
      List<Attribution> device =
          byDevice.getOrDefault(s.appId() + "|" + s.device().deviceKey(), List.of());
      Retention.cohortOf(s.eventTime(), device)
          .ifPresent(
              cohort ->
                  Retention.reportedDayOf(cohort, s.eventTime(), rules.rulesFor(s.appId()))
                      .ifPresent(n -> retained.get(cohort.candidateEventId()).add(n)));
    }
    return retained;
  }

  private List<AttributedEvent> credit(Map<String, List<Attribution>> byDevice) {
    List<AttributedEvent> credited = new ArrayList<>(inAppEvents.size());
    for (InAppEvent e : inAppEvents) {
      List<Attribution> device =
          byDevice.getOrDefault(e.appId() + "|" + e.device().deviceKey(), List.of());
      credited.add(EventCrediting.credit(e, device, rules.rulesFor(e.appId())));
    }
    return credited;
  }

  public static LocalDate utcDay(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
