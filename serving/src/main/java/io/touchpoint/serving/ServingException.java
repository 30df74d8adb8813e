package io.touchpoint.serving;

/** A failure with a message meant for the operator (the commands print it without a trace). */
public class ServingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ServingException(String message) {
    super(message);
  }

  public ServingException(String message, Throwable cause) {
    super(message, cause);
  }
}
