package io.touchpoint.streaming.pipeline;

import java.io.Serializable;

/** A verdict in a device's state, kept for crediting the device's in-app events. */
public class VerdictMark implements Serializable {
  private static final long serialVersionUID = 1L;

  /** the verdict's attribution id */
  private String attributionId;

  /** the candidate's time, epoch millis */
  private long eventTime;

  /** the candidate's received_at, epoch millis */
  private long receivedAt;

  /** the Attribution as contract JSON */
  private byte[] json;

  public VerdictMark() {}

  public String getAttributionId() {
    return attributionId;
  }

  public void setAttributionId(String attributionId) {
    this.attributionId = attributionId;
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
