package dev.parley.loadtest.chaos;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.loadtest.cluster.LocalCluster;
import dev.parley.loadtest.robot.ParleyApi;
import dev.parley.loadtest.robot.RobotCallException;

/**
 * Reads what the platform kept once the callers are done: every call's journal through
 * {@code GET /call/{id}} (waiting, bounded, for calls still ending, e.g. a caller that never came
 * back ends after the reconnect window), and the read model through {@code GET /call} (the
 * calls-by-org projection), polled until it agrees with the journals or the wait is over.
 */
final class ChaosChecker {

  /** Where the read model disagrees with the journals, after the wait. */
  record ReadModel(int mismatches, int orphans, List<String> details, double secondsToAgree) {}

  private static final long POLL_MILLIS = 1_000;
  private static final int PAGE = 1_000;
  private static final int MAX_PAGES = 100;

  private final LocalCluster cluster;
  private final String apiKey;
  private final HttpClient http;
  private final String assistantId;
  private int next;

  ChaosChecker(LocalCluster cluster, String apiKey, HttpClient http, String assistantId) {
    this.cluster = cluster;
    this.apiKey = apiKey;
    this.http = http;
    this.assistantId = assistantId;
  }

  /** Each call's journal once it has ended, or as it is when {@code wait} is over (null: unreadable). */
  Map<String, JsonNode> journals(Collection<String> callIds, Duration wait) throws InterruptedException {
    Map<String, JsonNode> journals = new LinkedHashMap<>();
    callIds.forEach(id -> journals.put(id, null));
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      for (Map.Entry<String, JsonNode> entry : journals.entrySet()) {
        if (entry.getValue() == null || !entry.getValue().path("status").asText().equals("ended")) {
          try {
            entry.setValue(api().getCall(entry.getKey()));
          } catch (RobotCallException e) {
            // a node busy taking the call over: asked again next round
          }
        }
      }
      boolean allEnded = journals.values().stream()
          .allMatch(j -> j != null && j.path("status").asText().equals("ended"));
      if (allEnded || System.nanoTime() - deadline > 0) {
        return journals;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** Polls {@code GET /call} until every call's row has its journal's status and endedReason, or {@code wait} passes. */
  ReadModel readModel(Map<String, JsonNode> journals, Duration wait) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + wait.toNanos();
    while (true) {
      Map<String, JsonNode> rows = listAll();
      List<String> details = new ArrayList<>();
      journals.forEach((id, journal) -> {
        JsonNode row = rows.get(id);
        String expected = journal == null ? "unreadable" : state(journal);
        String actual = row == null ? "missing" : state(row);
        if (!expected.equals(actual)) {
          details.add(id + ": journal " + expected + ", list " + actual);
        }
      });
      int orphans = (int) rows.keySet().stream().filter(id -> !journals.containsKey(id)).count();
      if (details.isEmpty() || System.nanoTime() - deadline > 0) {
        return new ReadModel(details.size(), orphans, details, (System.nanoTime() - started) / 1e9);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private static String state(JsonNode call) {
    return call.path("status").asText("") + "/" + call.path("endedReason").asText("");
  }

  /** The assistant's calls, newest first, page by page (by createdAt) up to a bound. */
  private Map<String, JsonNode> listAll() {
    Map<String, JsonNode> rows = new HashMap<>();
    String before = null;
    for (int page = 0; page < MAX_PAGES; page++) {
      String query = "assistantId=" + assistantId + "&limit=" + PAGE
          + (before == null ? "" : "&createdAtLt=" + URLEncoder.encode(before, StandardCharsets.UTF_8));
      JsonNode list;
      try {
        list = api().listCalls(query);
      } catch (RobotCallException e) {
        return rows;
      }
      String oldest = null;
      for (JsonNode row : list) {
        rows.put(row.path("id").asText(), row);
        oldest = row.path("createdAt").asText();
      }
      if (list.size() < PAGE || Objects.equals(oldest, before)) {
        return rows;
      }
      before = oldest;
    }
    return rows;
  }

  /** The next live node's API, in turn. */
  private ParleyApi api() {
    for (int tried = 0; tried < cluster.size(); tried++) {
      int node = next++ % cluster.size();
      if (cluster.isAlive(node)) {
        return new ParleyApi(cluster.httpBase(node), apiKey, http);
      }
    }
    throw new RobotCallException("no node is running");
  }
}
