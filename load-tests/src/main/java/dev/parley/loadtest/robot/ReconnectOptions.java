package dev.parley.loadtest.robot;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What a robot does when its socket breaks (closed 1001, 1011 or 1012, or failed; not the
 * server's normal close of an ended call): it opens the same path and query (same call id and
 * token) on the next of {@code nodes} after the one it was on, moving on when a node cannot be
 * reached, and retrying with a growing backoff while the platform answers 409 "already has a live
 * connection" (the call has not yet noticed the old socket is gone). It stops at 404, 409 "has
 * ended" or another refusal of the call, or when {@code window} has passed since the break.
 *
 * @param nodes base URLs of the nodes to try ({@code http://127.0.0.1:8080}), in order, cyclically
 * @param window how long after the break the robot keeps trying
 * @param firstBackoff the first wait before trying again; it doubles up to {@code maxBackoff}
 */
public record ReconnectOptions(List<URI> nodes, Duration window, Duration firstBackoff, Duration maxBackoff) {

  public ReconnectOptions {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("reconnecting needs at least one node to try");
    }
    nodes = List.copyOf(nodes);
  }

  /** Backoff from 100 ms up to 1 s. */
  public static ReconnectOptions to(List<URI> nodes, Duration window) {
    return new ReconnectOptions(nodes, window, Duration.ofMillis(100), Duration.ofSeconds(1));
  }
}
