package dev.parley.loadtest.gatling;

import java.net.URI;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spreads calls over the nodes in turn: a Gatling feeder giving each virtual user the next node's
 * base URL (session attribute {@value #BASE}). A call's POST and its WebSocket go to that one node,
 * so the {@code websocketCallUrl} the node answers (built from its public URL) is re-pointed at it.
 */
final class NodeRoundRobin implements Iterator<Map<String, Object>> {

  static final String BASE = "nodeBaseUrl";

  private final List<URI> nodes;
  private final AtomicLong next = new AtomicLong();

  NodeRoundRobin(List<URI> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  @Override
  public boolean hasNext() {
    return true;
  }

  @Override
  public Map<String, Object> next() {
    URI node = nodes.get((int) (next.getAndIncrement() % nodes.size()));
    return Map.of(BASE, node.toString());
  }

  /** {@code websocketCallUrl} with its scheme, host and port taken from {@code nodeBaseUrl}; path and token kept. */
  static String socketUrlOn(String nodeBaseUrl, String websocketCallUrl) {
    URI answered = URI.create(websocketCallUrl);
    String wsBase = nodeBaseUrl.replaceFirst("^(?i)http", "ws");
    return wsBase + answered.getRawPath() + (answered.getRawQuery() == null ? "" : "?" + answered.getRawQuery());
  }
}
