package dev.parley.loadtest.robot;

/** How the call's socket ended: the server's close code and reason, or a failure (code -1). */
public record CloseStatus(long atNanos, int code, String reason) {

  public static final int FAILED = -1;
  /** Never sent by a server: a client's name for a connection lost without a close frame. */
  static final int ABNORMAL = 1006;

  @Override
  public String toString() {
    return code == FAILED ? "failed: " + reason : "closed " + code + (reason.isEmpty() ? "" : " '" + reason + "'");
  }
}
