package io.touchpoint.model;

import java.time.Instant;

/** What every inbound event of the contract has in common. */
public sealed interface Event permits Touchpoint, Install, Session, InAppEvent {
  String eventId();

  EventType eventType();

  String appId();

  /** Device time of the event, UTC. For an install: the first app open. */
  Instant eventTime();

  /** When the collector received it. */
  Instant receivedAt();

  Device device();
}
