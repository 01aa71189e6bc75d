package dev.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Every Kubernetes object under deploy/kubernetes/, parsed, with lookups by kind and name. */
final class Manifests {

  static final String DIRECTORY = "deploy/kubernetes";

  /** One object and the file it came from. */
  record Manifest(Path file, JsonNode object) {
    String kind() {
      return object.path("kind").asText();
    }

    String name() {
      return object.path("metadata").path("name").asText();
    }
  }

  private final List<Manifest> all = new ArrayList<>();

  Manifests() {
    for (Path file : RepoFiles.filesUnder(DIRECTORY, ".yaml")) {
      for (JsonNode object : RepoFiles.yamlDocuments(file)) {
        all.add(new Manifest(file, object));
      }
    }
  }

  List<Manifest> all() {
    return all;
  }

  JsonNode one(String kind, String name) {
    List<JsonNode> found = all.stream()
        .filter(m -> m.kind().equals(kind) && m.name().equals(name))
        .map(Manifest::object)
        .toList();
    assertEquals(1, found.size(), () -> "expected one " + kind + " " + name + " in " + DIRECTORY);
    return found.get(0);
  }

  List<JsonNode> ofKind(String kind) {
    return all.stream().filter(m -> m.kind().equals(kind)).map(Manifest::object).toList();
  }

  /** The Parley node Deployment's only container. */
  JsonNode nodeContainer() {
    JsonNode containers = one("Deployment", "parley").path("spec").path("template").path("spec").path("containers");
    assertEquals(1, containers.size(), "the parley Deployment runs one container");
    return containers.get(0);
  }

  /** A container's ports, name to number. */
  static Map<String, Integer> ports(JsonNode container) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    container.path("ports").forEach(port -> ports.put(port.path("name").asText(), port.path("containerPort").asInt()));
    return ports;
  }

  /** A container's env entries by name. */
  static Map<String, JsonNode> env(JsonNode container) {
    Map<String, JsonNode> env = new LinkedHashMap<>();
    container.path("env").forEach(entry -> env.put(entry.path("name").asText(), entry));
    return env;
  }

  /** matchLabels or a Service's plain selector, as a map. */
  static Map<String, String> labels(JsonNode labels) {
    Map<String, String> map = new LinkedHashMap<>();
    labels.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
    return map;
  }
}
