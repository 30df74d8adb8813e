package io.touchpoint.model;

/** Class of the credited touch. */
public enum TouchType {
  CLICK,
  IMPRESSION,
  NONE
}
