package dev.parley.loadtest.robot;

/** How the call's socket ended: the server's close code and reason, or a failure (code -1). */
public record CloseStatus(long atNanos, int code, String reason) {

  public static final int FAILED = -1;

  @Override
  public String toString() {
    return code == FAILED ? "failed: " + reason : "closed " + code + (reason.isEmpty() ? "" : " '" + reason + "'");
  }
}
