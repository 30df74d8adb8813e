package io.touchpoint.streaming.pipeline;

/** What an {@link Envelope} carries, and so which operator handles it how. */
public final class Roles {
  /** A touch to hold under a match key (router -> match-key operator). */
  public static final int TOUCH = 1;

  /** A candidate asking a match key for its touches (router -> match-key operator). */
  public static final int PROBE = 2;

  /** The candidate itself (router -> match-key pass-through -> device operator). */
  public static final int CANDIDATE = 3;

  /** An in-app event to credit (router -> pass-through -> device operator). */
  public static final int IN_APP = 4;

  /** A match key's touches for one candidate (match-key operator -> device operator). */
  public static final int PARTIAL = 7;

  /** A verdict (device operator -> sink). */
  public static final int ATTRIBUTION = 8;

  /** A credited in-app event (device operator -> sink). */
  public static final int ATTRIBUTED_EVENT = 9;

  /** Grouping keys of rows that only pass through an operator start with this. */
  public static final String PASS_THROUGH = "X|";

  private Roles() {}

  public static String name(int role) {
    return switch (role) {
      case TOUCH -> "touch";
      case PROBE -> "probe";
      case CANDIDATE -> "candidate";
      case IN_APP -> "in_app";
      case PARTIAL -> "partial";
      case ATTRIBUTION -> "attribution";
      case ATTRIBUTED_EVENT -> "attributed_event";
      default -> "role" + role;
    };
  }
}
