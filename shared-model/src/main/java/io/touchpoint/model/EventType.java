package io.touchpoint.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/** The {@code event_type} values of the wire contract, with the topic each travels on. */
public enum EventType {
  IMPRESSION("impression", Topics.TOUCHPOINTS),
  CLICK("click", Topics.TOUCHPOINTS),
  INSTALL("install", Topics.APP_EVENTS),
  SESSION("session", Topics.APP_EVENTS),
  IN_APP_EVENT("in_app_event", Topics.APP_EVENTS);

  private final String wireName;
  private final String topic;

  EventType(String wireName, String topic) {
    this.wireName = wireName;
    this.topic = topic;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  public String topic() {
    return topic;
  }

  public boolean isTouch() {
    return this == IMPRESSION || this == CLICK;
  }

  private static final EventType[] VALUES = values();

  public static Optional<EventType> fromWire(String name) {
    // a loop, not a stream: called for every event the speed layer validates
    for (EventType t : VALUES) {
      if (t.wireName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}
