package dev.parley.node.rest;

import static dev.parley.node.rest.CallApiTest.assertError;
import static dev.parley.node.rest.CallApiTest.checked;
import static dev.parley.node.rest.CallBodies.websocket;
import static dev.parley.node.rest.CallBodies.withAssistantId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;

/** {@code GET /call}: the read side, fed by the call projection, with Vapi's filters. */
class CallListTest {

  private static TestNode node;
  private static Path dataDir;

  @BeforeAll
  static void start() throws Exception {
    dataDir = TestCassandra.newDataDir("call-list");
    node = TestNode.start(TestCassandra.uniqueKeyspace("calllist"), dataDir, Map.of());
  }

  @AfterAll
  static void stop() {
    node.stop();
    TestCassandra.deleteRecursively(dataDir);
  }

  @Test
  void listsNewestFirstWithVapisFiltersAndDeletedCallsVanish() throws Exception {
    ApiClient api = node.newOrg();
    String desk = api.post("/assistant", Bodies.fullAssistant("Desk")).json().get("id").asText();
    String other = api.post("/assistant", Bodies.fullAssistant("Other")).json().get("id").asText();
    JsonNode first = api.post("/call", withAssistantId(desk)).json();
    Thread.sleep(5); // distinct createdAt
    JsonNode second = api.post("/call", withAssistantId(other)).json();
    Thread.sleep(5);
    JsonNode third = api.post("/call", Map.of("assistant", Bodies.fullAssistant("Inline"),
        "transport", websocket("mulaw", 8000))).json();
    List<String> newestFirst = List.of(id(third), id(second), id(first));

    JsonNode listed = checked("get", "/call", 200, api.awaitGet("/call", r -> r.json().size() == 3));
    assertEquals(newestFirst, ids(listed));
    JsonNode row = listed.get(2);
    assertEquals(CallApiTest.withoutToken(first), CallApiTest.withoutToken(row), "a row is the call's summary");
    assertFalse(row.has("messages"));
    assertEquals("Inline", listed.get(0).at("/assistant/name").asText());

    assertEquals(List.of(id(first)), ids(api.get("/call?assistantId=" + desk).json()));
    assertEquals(List.of(id(second)), ids(api.get("/call?id=" + id(second)).json()));
    assertEquals(List.of(id(third)), ids(api.get("/call?limit=1").json()));
    String secondCreated = second.get("createdAt").asText();
    assertEquals(List.of(id(third)), ids(api.get("/call?createdAtGt=" + secondCreated).json()));
    assertEquals(List.of(id(third), id(second)), ids(api.get("/call?createdAtGe=" + secondCreated).json()));
    assertEquals(List.of(id(first)), ids(api.get("/call?createdAtLt=" + secondCreated).json()));
    assertEquals(List.of(id(second), id(first)), ids(api.get("/call?createdAtLe=" + secondCreated).json()));
    assertEquals(List.of(id(second), id(first)), ids(api.get("/call?updatedAtLe=" + secondCreated).json()));
    assertEquals(List.of(id(third)), ids(api.get("/call?updatedAtGt=" + secondCreated).json()));
    assertEquals(List.of(), ids(api.get("/call?updatedAtLt=2020-01-01T00:00:00Z").json()));
    assertEquals(newestFirst, ids(api.get("/call?updatedAtGe=2020-01-01T00:00:00Z").json()));
    assertEquals(List.of(), ids(node.newOrg().get("/call").json()), "another org sees none of them");

    assertEquals("limit must not be greater than 1000", assertError(400, api.get("/call?limit=1001"))
        .at("/message/0").asText());
    assertEquals("createdAtGt must be a valid ISO 8601 date string",
        assertError(400, api.get("/call?createdAtGt=yesterday")).at("/message/0").asText());

    api.delete("/call/" + id(second));
    assertEquals(List.of(id(third), id(first)),
        ids(api.awaitGet("/call", r -> r.json().size() == 2).json()), "a deleted call leaves the list");
  }

  private static String id(JsonNode call) {
    return call.get("id").asText();
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }
}
