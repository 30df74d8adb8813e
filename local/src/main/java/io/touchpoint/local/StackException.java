package io.touchpoint.local;

/** A failure of the stack with what to do about it and, when a process failed, its log tail. */
public final class StackException extends RuntimeException {

  private final String hint;
  private final String logTail;

  public StackException(String message, String hint) {
    this(message, hint, null);
  }

  public StackException(String message, String hint, String logTail) {
    super(message);
    this.hint = hint;
    this.logTail = logTail;
  }

  public String hint() {
    return hint;
  }

  /** The last lines of the failed service's log, or null. */
  public String logTail() {
    return logTail;
  }
}
