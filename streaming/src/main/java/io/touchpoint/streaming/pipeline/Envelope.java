package io.touchpoint.streaming.pipeline;

import java.io.Serializable;

/**
 * The one row type that flows through the speed layer's plan: Kafka record -> router -> match-key
 * operator -> device operator -> sink. {@link #getRole()} says what it carries (see {@link Roles});
 * {@link #getKey()} is the grouping key of the next stateful operator and {@link #getTarget()} the
 * key after that. A Java bean so Spark encodes it column-wise.
 */
public class Envelope implements Serializable {
  private static final long serialVersionUID = 1L;

  /** grouping key of the operator this row goes to next */
  private String key;

  /** grouping key for the operator after that (the device key of a candidate) */
  private String target;

  /** what the row carries: a Roles constant */
  private int role;

  /** the event id (attribution id for verdicts, topic/partition/offset for dead letters) */
  private String eventId;

  /** wire name of the event type, null for dead letters and outputs */
  private String eventType;

  /** the event's app */
  private String appId;

  /** event_time in epoch millis */
  private long eventTime;

  /** received_at in epoch millis: the arrival order the operators apply */
  private long receivedAt;

  /** true for the ingest query's BRONZE rows (kept in the bean so old checkpoints still read it) */
  private boolean bronze;

  /** the raw payload (valid contract JSON, or the rejected bytes), or an output's JSON */
  private byte[] payload;

  /** a partial's touches (JSON array) or a dead letter's JSON */
  private byte[] extra;

  /** Kafka source topic */
  private String topic;

  /** Kafka source partition */
  private int partition;

  /** Kafka source offset */
  private long offset;

  /** Kafka record timestamp in epoch millis (the validator's clock) */
  private long kafkaTimestamp;

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

  public String getEventType() {
    return eventType;
  }

  public void setEventType(String eventType) {
    this.eventType = eventType;
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

  public boolean isBronze() {
    return bronze;
  }

  public void setBronze(boolean bronze) {
    this.bronze = bronze;
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

  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  public int getPartition() {
    return partition;
  }

  public void setPartition(int partition) {
    this.partition = partition;
  }

  public long getOffset() {
    return offset;
  }

  public void setOffset(long offset) {
    this.offset = offset;
  }

  public long getKafkaTimestamp() {
    return kafkaTimestamp;
  }

  public void setKafkaTimestamp(long kafkaTimestamp) {
    this.kafkaTimestamp = kafkaTimestamp;
  }
}
