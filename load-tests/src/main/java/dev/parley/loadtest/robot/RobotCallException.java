package dev.parley.loadtest.robot;

/** A robot call did not go as scripted: a wait timed out, the socket ended early, a request failed. */
public final class RobotCallException extends RuntimeException {

  public RobotCallException(String message) {
    super(message);
  }

  public RobotCallException(String message, Throwable cause) {
    super(message, cause);
  }
}
