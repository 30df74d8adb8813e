package io.touchpoint.streaming.pipeline;

import java.io.Serializable;

/** A touch held in a match key's state: its JSON and what filtering needs without parsing it. */
public class StoredTouch implements Serializable {
  private static final long serialVersionUID = 1L;

  /** the touch's event id */
  private String eventId;

  /** event_time, epoch millis */
  private long eventTime;

  /** received_at, epoch millis */
  private long receivedAt;

  /** the touch as received (valid contract JSON) */
  private byte[] json;

  public StoredTouch() {}

  public String getEventId() {
    return eventId;
  }

  public void setEventId(String eventId) {
    this.eventId = eventId;
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

  public byte[] getJson() {
    return json;
  }

  public void setJson(byte[] json) {
    this.json = json;
  }
}
