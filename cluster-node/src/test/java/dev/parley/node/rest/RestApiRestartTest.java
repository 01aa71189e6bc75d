package dev.parley.node.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;

/** What the API accepted survives a restart of the node: entities, keys, the read side. */
class RestApiRestartTest {

  private TestNode node;
  private Path dataDir;

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    TestCassandra.deleteRecursively(dataDir);
  }

  @Test
  void createdObjectsAndKeysAreThereAfterARestart() throws Exception {
    String keyspace = TestCassandra.uniqueKeyspace("restart");
    dataDir = TestCassandra.newDataDir("restart");
    node = TestNode.start(keyspace, dataDir, Map.of());
    String orgId = UUID.randomUUID().toString();
    ApiClient api = node.clientFor(orgId);
    JsonNode assistant = api.post("/assistant", Bodies.fullAssistant("Durable")).json();
    JsonNode credential = api.post("/credential", Bodies.openAiCredential("sk-durable-0123456789")).json();
    String id = assistant.get("id").asText();
    api.awaitGet("/assistant", r -> r.json().size() == 1);
    String devKey = java.nio.file.Files.readString(dataDir.resolve("dev-api-key")).strip();

    node.stop();
    node = TestNode.start(keyspace, dataDir, Map.of());

    ApiClient again = new ApiClient(node.port, api.key());
    assertEquals(assistant, again.get("/assistant/" + id).json());
    assertEquals(credential, again.get("/credential/" + credential.get("id").asText()).json());
    assertEquals(List.of(id), List.of(again.get("/assistant").json().get(0).get("id").asText()));
    assertEquals(devKey, java.nio.file.Files.readString(dataDir.resolve("dev-api-key")).strip());
    assertEquals(200, new ApiClient(node.port, devKey).get("/assistant").status(), "the dev key still works");
  }
}
