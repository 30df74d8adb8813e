package io.touchpoint.model;

/** Kafka topic names of the contract. Names never change once shipped. */
public final class Topics {
  public static final String TOUCHPOINTS = "touchpoints";
  public static final String APP_EVENTS = "app-events";
  public static final String ATTRIBUTIONS = "attributions";
  public static final String ATTRIBUTED_EVENTS = "attributed-events";
  public static final String DEAD_LETTER = "dead-letter";

  private Topics() {}
}
