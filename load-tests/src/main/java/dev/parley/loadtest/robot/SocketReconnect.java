package dev.parley.loadtest.robot;

import java.net.URI;

/**
 * One break of the robot's socket and what came of it (times are System.nanoTime()).
 *
 * @param brokeNanos when the old socket broke
 * @param cause how it broke
 * @param reopenedNanos when a new socket opened; 0 when none did
 * @param node the base URL of the node the new socket is on (null when none opened)
 * @param attempts how many sockets were tried
 * @param outcome "reconnected", or why the robot gave up (with the last refusal)
 */
public record SocketReconnect(long brokeNanos, CloseStatus cause, long reopenedNanos, URI node, int attempts,
    String outcome) {

  public boolean reopened() {
    return reopenedNanos != 0;
  }

  /** Time from the break to the new socket, in milliseconds (NaN when none opened). */
  public double gapMillis() {
    return reopened() ? (reopenedNanos - brokeNanos) / 1e6 : Double.NaN;
  }
}
