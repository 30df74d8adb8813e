package io.touchpoint.streaming.pipeline;

import java.io.Serializable;

/**
 * The one row type that flows through the attribution query's plan: Kafka record -> router ->
 * match-key operator -> device operator -> sink. It carries only what the operators read (no event
 * type, no source position: those are the ingest query's), so every shuffle row and encoder is
 * small. {@link #getRole()} says what it carries (see {@link Roles}); {@link #getKey()} is the
 * grouping key of the next stateful operator and {@link #getTarget()} the key after that. A Java
 * bean so Spark encodes it column-wise.
 */
public class Envelope implements Serializable {
  private static final long serialVersionUID = 1L;

  /** grouping key of the operator this row goes to next */
  private String key;

  /** grouping key for the operator after that (the device key of a candidate) */
  private String target;

  /** what the row carries: a Roles constant */
  private int role;

  /** the event id (the attribution id for verdicts) */
  private String eventId;

  /** the event's app */
  private String appId;

  /** event_time in epoch millis */
  private long eventTime;

  /** received_at in epoch millis: the arrival order the operators apply */
  private long receivedAt;

  /** the raw payload (valid contract JSON), or an output's JSON */
  private byte[] payload;

  /** a partial's touches (JSON array) */
  private byte[] extra;

  public Envelope() {}

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public String getTarget() {
    return target;
  }

  public void setTarget(String target) {
    this.target = target;
  }

  public int getRole() {
    return role;
  }

  public void setRole(int role) {
    this.role = role;
  }

  public String getEventId() {
    return eventId;
  }

  public void setEventId(String eventId) {
    this.eventId = eventId;
  }

  public String getAppId() {
    return appId;
  }

  public void setAppId(String appId) {
    this.appId = appId;
  }

  public long getEventTime() {
    return eventTime;
  }

  public void setEventTime(long eventTime) {
    this.eventTime = eventTime;
  }

  public long getReceivedAt() {
    return receivedAt;
  }

  public void setReceivedAt(long receivedAt) {
    this.receivedAt = receivedAt;
  }

  public byte[] getPayload() {
    return payload;
  }

  public void setPayload(byte[] payload) {
    this.payload = payload;
  }

  public byte[] getExtra() {
    return extra;
  }

  public void setExtra(byte[] extra) {
    this.extra = extra;
  }
}
