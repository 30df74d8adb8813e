package io.touchpoint.streaming.pipeline;

import java.io.Serializable;

/** An install in a device's history (for the next install's priorInstallTime). */
public class InstallMark implements Serializable {
  private static final long serialVersionUID = 1L;

  /** the install's event id */
  private String eventId;

  /** first open, epoch millis */
  private long eventTime;

  /** received_at, epoch millis */
  private long receivedAt;

  public InstallMark() {}

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
}
