package io.touchpoint.batch;

import io.touchpoint.attribution.InMemoryAttributor;
import io.touchpoint.attribution.RulesConfig;
import io.touchpoint.model.Device;
import io.touchpoint.model.Event;
import io.touchpoint.model.EventType;
import io.touchpoint.model.InAppEvent;
import io.touchpoint.model.Install;
import io.touchpoint.model.Session;
import io.touchpoint.model.Touchpoint;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A deterministic multi-day scenario built from the contract records (the stand-in for the
 * simulator's output): two apps (one in New York time, with a per-source lookback override), every
 * match type, view-through, contributors, CTIT and click-injection fraud, a click-flooding site,
 * reinstalls inside the re-attribution window with and without retargeting, deep-linked
 * re-engagements, sessions and purchases in several currencies; some events arrive a day late and
 * some are delivered twice. {@link #events} holds each event once (the truth's input), {@link
 * #deliveries} what the collector received, duplicates included.
 */
public final class ScenarioData {
  public static final String GAME = "com.example.game";
  public static final String SHOP = "com.example.shop";
  public static final String RULES =
      """
      touchpoint.attribution.apps {
        "com.example.shop" {
          time-zone = "America/New_York"
          media-sources { "netB" { click-lookback = 2d } }
        }
      }
      """;
  public static final String FLOOD_SITE = "flood-site-1";

  /** One delivery: the event as received (its own received_at) and its Kafka coordinates. */
  public record Delivery(Event event, int partition, long offset) {}

  public final LocalDate first;
  public final int days;
  public final List<Event> events = new ArrayList<>();
  public final List<Delivery> deliveries = new ArrayList<>();

  private final Random random;
  private final Instant start;
  private final Instant end;
  private final List<Sim> installed = new ArrayList<>();
  private int ipCounter;

  /** A simulated device and what the SDK and the ad networks see of it. */
  private record Sim(
      String app, Device app_, Device browser, Device anonymousBrowser, Instant installedAt) {}

  public ScenarioData(LocalDate first, int days, long seed) {
    this.first = first;
    this.days = days;
    this.random = new Random(seed);
    this.start = first.atStartOfDay(ZoneOffset.UTC).toInstant();
    this.end = first.plusDays(days).atStartOfDay(ZoneOffset.UTC).toInstant();
    for (int d = 0; d < days; d++) {
      for (String app : List.of(GAME, SHOP)) {
        day(app, d);
      }
      flooding(d);
    }
    // later activity of every installed device: sessions (retention) and in-app events (revenue)
    for (Sim s : new ArrayList<>(installed)) {
      activity(s);
    }
    deliver();
  }

  public RulesConfig rules() {
    return Rules.of(RULES, "test").config();
  }

  /** The reference verdicts over the whole, de-duplicated data set. */
  public InMemoryAttributor.Result truth() {
    InMemoryAttributor a = new InMemoryAttributor(rules());
    a.addAll(events);
    return a.run();
  }

  public Instant dayStart(int d) {
    return start.plus(Duration.ofDays(d));
  }

  // ---------------------------------------------------------------- stories of one app and day

  private void day(String app, int d) {
    for (int i = 0; i < 4; i++) { // organic
      Sim s = device(app, true);
      install(s, time(d), null, null);
      noiseImpression(app, time(d)); // someone else's touch: never matches
    }
    for (int i = 0; i < 6; i++) { // device-id click, sometimes with a contributor
      Sim s = device(app, true);
      Instant t = time(d);
      click(
          s.browser(),
          app,
          "netA",
          "site-a" + i % 3,
          clamp(t.minusSeconds(30 + random.nextInt(4 * 86400))),
          false);
      if (random.nextBoolean()) {
        impression(s.browser(), app, "netB", clamp(t.minusSeconds(60 + random.nextInt(20 * 3600))));
      }
      if (random.nextInt(3) == 0) {
        click(
            s.browser(),
            app,
            "netC",
            "site-c1",
            clamp(t.minusSeconds(120 + random.nextInt(86400))),
            false);
      }
      install(s, t, null, null);
    }
    for (int i = 0; i < 3; i++) { // view-through
      Sim s = device(app, true);
      Instant t = time(d);
      impression(s.browser(), app, "netB", clamp(t.minusSeconds(600 + random.nextInt(20 * 3600))));
      install(s, t, null, null);
    }
    for (int i = 0; i < 3; i++) { // store referrer: the click carries no advertising id
      Sim s = device(app, true);
      Instant t = time(d);
      Touchpoint c =
          click(
              s.anonymousBrowser(),
              app,
              "netC",
              "site-c2",
              clamp(t.minusSeconds(60 + random.nextInt(2 * 86400))),
              false);
      install(s, t, c.clickId(), null);
    }
    for (int i = 0; i < 3; i++) { // probabilistic: IP + user-agent family, limited ad tracking
      Sim s = device(app, false);
      Instant t = time(d);
      click(
          s.anonymousBrowser(),
          app,
          "netA",
          "site-a9",
          clamp(t.minusSeconds(600 + random.nextInt(20 * 3600))),
          false);
      install(s, t, null, null);
    }
    for (int i = 0; i < 2; i++) { // CTIT below 10 s
      Sim s = device(app, true);
      Instant t = time(d);
      click(s.browser(), app, "netD", "site-d1", t.minusSeconds(3), false);
      install(s, t, null, null);
    }
    for (int i = 0; i < 2; i++) { // click injection: a click after the download began
      Sim s = device(app, true);
      Instant t = time(d);
      click(s.browser(), app, "netD", "site-d2", t.minusSeconds(40), false);
      install(s, t, null, t.minusSeconds(120));
    }
    if (d
        < days
            - 1) { // the stream cannot know: a winning click that reaches the collector after the
      // install
      Sim s = device(app, true);
      Instant t = time(d);
      Touchpoint c = click(s.browser(), app, "netA", "site-a1", clamp(t.minusSeconds(7200)), false);
      replace(c, withReceivedAt(c, t.plus(Duration.ofHours(3)).truncatedTo(ChronoUnit.MILLIS)));
      install(s, t, null, null);
      Sim late = device(app, true); // an install that reaches the collector a day late
      Instant lt = time(d);
      click(late.browser(), app, "netA", "site-a2", clamp(lt.minusSeconds(5000)), false);
      install(late, lt, null, null);
      Event i = events.get(events.size() - 1);
      replace(i, withReceivedAt(i, lt.plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS)));
    }
    if (d == days - 1) { // netB clicks look back 2 days in SHOP only
      Sim s = device(app, true);
      Instant t = time(d);
      click(s.browser(), app, "netB", "site-b1", clamp(t.minus(Duration.ofHours(60))), false);
      install(s, t, null, null);
    }
    if (d > 0) {
      List<Sim> earlier =
          installed.stream()
              .filter(s -> s.app().equals(app))
              .filter(s -> s.installedAt().isBefore(dayStart(d).minusSeconds(3600)))
              .toList();
      Sim a = earlier.get(random.nextInt(earlier.size()));
      Instant t = time(d);
      click(a.browser(), app, "netR", "site-r1", t.minusSeconds(1800 + random.nextInt(7200)), true);
      install(a, t, null, null); // re-attribution
      Sim b = earlier.get(random.nextInt(earlier.size()));
      if (b != a) {
        install(b, time(d), null, null); // reinstall, no retargeting touch
      }
      Sim c = earlier.get(random.nextInt(earlier.size()));
      Instant st = time(d);
      Touchpoint rc = click(c.browser(), app, "netR", "site-r2", st.minusSeconds(600), true);
      session(c, st, rc.clickId()); // re-engagement
      Sim e = earlier.get(random.nextInt(earlier.size()));
      session(e, time(d), "clk-unknown-" + d + app.length()); // deep link without a known click
    }
  }

  /**
   * The flooding site sprays GAME's clicks; two of that day's installs "win" through them, late.
   */
  private void flooding(int d) {
    for (int i = 0; i < 2100; i++) {
      Device victim = new Device(id(), null, ip(), browserUa(true, "17"), "ios", "17.2", "US");
      click(
          victim, GAME, "netF", FLOOD_SITE, dayStart(d).plusSeconds(random.nextInt(86400)), false);
    }
    for (int i = 0; i < 2; i++) {
      Sim s = device(GAME, true);
      Instant t = dayStart(d).plusSeconds(14 * 3600 + random.nextInt(9 * 3600));
      click(
          s.browser(),
          GAME,
          "netF",
          FLOOD_SITE,
          t.minusSeconds(2 * 3600 + random.nextInt(8 * 3600)),
          false);
      install(s, t, null, null);
    }
  }

  private void activity(Sim s) {
    Instant t = s.installedAt();
    for (int n : new int[] {0, 1, 1, 3, 3, 7}) {
      if (random.nextInt(10) < 6) {
        Instant st = t.plus(Duration.ofDays(n)).plusSeconds(random.nextInt(6 * 3600) - 3 * 3600L);
        if (st.isAfter(t) && st.isBefore(end.minusSeconds(7200))) {
          session(s, st, null);
        }
      }
    }
    int purchases = random.nextInt(4);
    String[] currencies = {"USD", "EUR", "JPY", "GBP", "XAF"};
    for (int i = 0; i < purchases; i++) {
      Instant et = t.plusSeconds(60 + random.nextInt(3 * 86400));
      if (!et.isBefore(end.minusSeconds(7200))) {
        continue;
      }
      boolean paid = random.nextInt(3) > 0;
      String currency = currencies[random.nextInt(currencies.length)];
      double revenue =
          Math.round(random.nextDouble() * 5000) / 100.0 * (currency.equals("JPY") ? 100 : 1);
      add(
          new InAppEvent(
              id(),
              EventType.IN_APP_EVENT,
              s.app(),
              et,
              received(et),
              s.app_(),
              paid ? "purchase" : "level_up",
              paid ? revenue : null,
              paid ? currency : null));
    }
  }

  // ---------------------------------------------------------------- records

  private Sim device(String app, boolean withAdId) {
    boolean ios = random.nextBoolean();
    String os =
        ios ? String.valueOf(16 + random.nextInt(3)) : String.valueOf(12 + random.nextInt(3));
    String aid = withAdId ? id() : random.nextBoolean() ? Device.ZERO_ADVERTISING_ID : null;
    String ip = ip();
    String country = List.of("US", "DE", "JP", "BR").get(random.nextInt(4));
    String platform = ios ? "ios" : "android";
    String model =
        ios ? "iPhone" : List.of("SM-G991B", "Pixel 7", "M2101K6G").get(random.nextInt(3));
    Device sdk = new Device(aid, id(), ip, appUa(ios, os, model), platform, os, country);
    Device browser = new Device(aid, null, ip, browserUa(ios, os, model), platform, os, country);
    Device anonymous = new Device(null, null, ip, browserUa(ios, os, model), platform, os, country);
    return new Sim(app, sdk, browser, anonymous, null);
  }

  private void install(Sim s, Instant t, String referrerClickId, Instant installBegin) {
    add(
        new Install(
            id(),
            EventType.INSTALL,
            s.app(),
            t,
            received(t),
            s.app_(),
            referrerClickId,
            installBegin,
            "6.14.0"));
    installed.removeIf(x -> x.app_().equals(s.app_()) && x.app().equals(s.app()));
    installed.add(new Sim(s.app(), s.app_(), s.browser(), s.anonymousBrowser(), t));
  }

  private void session(Sim s, Instant t, String deepLink) {
    add(new Session(id(), EventType.SESSION, s.app(), t, received(t), s.app_(), deepLink));
  }

  private Touchpoint click(
      Device d, String app, String source, String site, Instant t, boolean retargeting) {
    String id = id();
    Touchpoint c =
        new Touchpoint(
            id,
            EventType.CLICK,
            app,
            t,
            received(t),
            d,
            source,
            source + "-cmp-" + (retargeting ? "rt" : "ua"),
            source + " campaign",
            "adset-1",
            "ad-1",
            site,
            "clk-" + id,
            retargeting,
            "CPI",
            0.5,
            "USD");
    add(c);
    return c;
  }

  private void impression(Device d, String app, String source, Instant t) {
    add(
        new Touchpoint(
            id(),
            EventType.IMPRESSION,
            app,
            t,
            received(t),
            d,
            source,
            source + "-cmp-ua",
            source + " campaign",
            "adset-1",
            "ad-1",
            source + "-site",
            null,
            false,
            "CPM",
            0.002,
            "USD"));
  }

  private void noiseImpression(String app, Instant t) {
    Device d = new Device(id(), null, ip(), browserUa(true, "17", "iPhone"), "ios", "17.2", "US");
    impression(d, app, "netB", clamp(t.minusSeconds(random.nextInt(3600))));
  }

  private void add(Event e) {
    events.add(e);
  }

  private void replace(Event old, Event replacement) {
    events.set(events.indexOf(old), replacement);
  }

  /** Collector times: most within two minutes, some a day late (never past the last day). */
  private Instant received(Instant t) {
    Instant r = t.plusMillis(200 + random.nextInt(120_000));
    if (random.nextInt(100) < 6) {
      Instant late = t.plus(Duration.ofDays(1)).plusSeconds(random.nextInt(6 * 3600));
      if (late.isBefore(end)) {
        r = late;
      }
    }
    Instant last = end.minusMillis(1);
    return (r.isAfter(last) ? last : r).truncatedTo(ChronoUnit.MILLIS);
  }

  /** Kafka order is arrival order; 5% of events are delivered a second time, later. */
  private void deliver() {
    List<Event> received = new ArrayList<>(events);
    for (Event e : events) {
      if (random.nextInt(100) < 5) {
        Instant again = e.receivedAt().plusSeconds(1 + random.nextInt(30 * 3600));
        if (again.isBefore(end)) {
          received.add(withReceivedAt(e, again));
        }
      }
    }
    received.sort(Comparator.comparing(Event::receivedAt).thenComparing(Event::eventId));
    long offset = 0;
    for (Event e : received) {
      deliveries.add(new Delivery(e, Math.floorMod(e.eventId().hashCode(), 4), offset++));
    }
  }

  static Event withReceivedAt(Event e, Instant r) {
    if (e instanceof Touchpoint t) {
      return new Touchpoint(
          t.eventId(),
          t.eventType(),
          t.appId(),
          t.eventTime(),
          r,
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
          r,
          i.device(),
          i.referrerClickId(),
          i.installBeginTime(),
          i.sdkVersion());
    }
    if (e instanceof Session s) {
      return new Session(
          s.eventId(), s.eventType(), s.appId(), s.eventTime(), r, s.device(), s.deepLinkClickId());
    }
    InAppEvent a = (InAppEvent) e;
    return new InAppEvent(
        a.eventId(),
        a.eventType(),
        a.appId(),
        a.eventTime(),
        r,
        a.device(),
        a.eventName(),
        a.revenue(),
        a.currency());
  }

  private Instant time(int d) {
    return dayStart(d).plusSeconds(random.nextInt(86400)).truncatedTo(ChronoUnit.MILLIS);
  }

  private Instant clamp(Instant t) {
    return (t.isBefore(start) ? start.plusSeconds(1 + random.nextInt(600)) : t)
        .truncatedTo(ChronoUnit.MILLIS);
  }

  private String id() {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }

  private String ip() {
    int n = ipCounter++;
    return "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255);
  }

  private static String appUa(boolean ios, String os, String model) {
    return ios
        ? "Game/3.1 (iPhone; CPU iPhone OS " + os + "_2 like Mac OS X) Build/17C"
        : "Dalvik/2.1.0 (Linux; U; Android " + os + "; " + model + " Build/UP1A)";
  }

  private static String browserUa(boolean ios, String os, String model) {
    return ios
        ? "Mozilla/5.0 (iPhone; CPU iPhone OS "
            + os
            + "_1 like Mac OS X) AppleWebKit/605.1.15 Safari/604.1"
        : "Mozilla/5.0 (Linux; Android "
            + os
            + "; "
            + model
            + ") AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36";
  }

  private static String browserUa(boolean ios, String os) {
    return browserUa(ios, os, "iPhone");
  }
}
