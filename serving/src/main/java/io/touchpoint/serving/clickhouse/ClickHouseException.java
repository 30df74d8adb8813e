package io.touchpoint.serving.clickhouse;

import io.touchpoint.serving.ServingException;

/** ClickHouse answered with an error: its code, its message, and the statement that failed. */
public class ClickHouseException extends ServingException {
  private static final long serialVersionUID = 1L;
  private final int code;

  public ClickHouseException(int code, String message, String statement) {
    super(firstLine(message) + "\n  in: " + statement);
    this.code = code;
  }

  public int code() {
    return code;
  }

  private static String firstLine(String m) {
    return m.length() > 2000 ? m.substring(0, 2000) + "..." : m;
  }
}
