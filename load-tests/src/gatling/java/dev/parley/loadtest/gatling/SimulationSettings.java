package dev.parley.loadtest.gatling;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The load of {@link ParleyCallsSimulation}, from system properties: {@code parley.urls} (the nodes,
 * comma-separated, default {@code http://127.0.0.1:8080}), {@code parley.keyFile} (a file holding
 * the API key; required), {@code parley.users} (calls, default 10), {@code parley.rampSeconds}
 * (over which the calls start, default 10), {@code parley.callSeconds} (how long each call talks,
 * default 30) and {@code parley.turns} (caller turns per call, default 3).
 */
record SimulationSettings(List<URI> nodes, String apiKey, int users, int rampSeconds, int callSeconds, int turns) {

  static SimulationSettings fromSystemProperties() {
    List<URI> nodes = nodes(System.getProperty("parley.urls", "http://127.0.0.1:8080"));
    String keyFile = System.getProperty("parley.keyFile", "");
    if (keyFile.isBlank()) {
      throw new IllegalArgumentException("-Dparley.keyFile=FILE is required: a file holding the API key");
    }
    int turns = positive("parley.turns", 3);
    int callSeconds = positive("parley.callSeconds", 30);
    if (callSeconds < 4 * turns) {
      throw new IllegalArgumentException("parley.callSeconds=" + callSeconds + " is too short for " + turns
          + " turns: allow at least 4 s per turn");
    }
    return new SimulationSettings(nodes, apiKey(keyFile), positive("parley.users", 10),
        whole("parley.rampSeconds", 10), callSeconds, turns);
  }

  /** How long one turn's slot lasts: the caller speaks at its start and listens for the rest. */
  long turnMillis() {
    return callSeconds * 1000L / turns;
  }

  private static List<URI> nodes(String text) {
    List<URI> nodes = Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty())
        .map(SimulationSettings::node).toList();
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("parley.urls lists no node: give base URLs such as http://127.0.0.1:8080");
    }
    return nodes;
  }

  private static URI node(String text) {
    URI uri = URI.create(text.replaceAll("/+$", ""));
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("parley.urls: '" + text + "' is not an http(s)://host[:port] base URL");
    }
    return uri;
  }

  private static String apiKey(String keyFile) {
    try {
      String key = Files.readString(Path.of(keyFile)).strip();
      if (key.isEmpty()) {
        throw new IllegalArgumentException("the API key file " + keyFile + " is empty");
      }
      return key;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the API key file " + keyFile + ": " + e.getMessage(), e);
    }
  }

  private static int positive(String name, int fallback) {
    int value = whole(name, fallback);
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be at least 1, not " + value);
    }
    return value;
  }

  private static int whole(String name, int fallback) {
    String text = System.getProperty(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text.strip());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + text + "'");
    }
  }
}
