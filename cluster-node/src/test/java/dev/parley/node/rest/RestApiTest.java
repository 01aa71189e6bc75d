package dev.parley.node.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.parley.http.contract.VapiContract;
import dev.parley.persistence.cassandra.CassandraSchema;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.KeyKind;

/** The Vapi-compatible REST API over real HTTP, on a node with a real Cassandra. */
class RestApiTest {

  private static TestNode node;
  private static Path dataDir;
  private static final VapiContract CONTRACT = VapiContract.shared();

  @BeforeAll
  static void start() throws Exception {
    dataDir = TestCassandra.newDataDir("rest");
    node = TestNode.start(TestCassandra.uniqueKeyspace("rest"), dataDir,
        Map.of("parley.http.rate-limit.burst", 60, "parley.http.rate-limit.requests-per-second", 30));
  }

  @AfterAll
  static void stop() {
    node.stop();
    TestCassandra.deleteRecursively(dataDir);
  }

  private static JsonNode checked(String method, String path, int status, ApiClient.Response response) {
    assertEquals(status, response.status(), method + " " + path + " -> " + response.text());
    JsonNode json = response.json();
    CONTRACT.assertResponseMatches(method, path, status, json);
    return json;
  }

  @Test
  void assistantsRoundTripEveryFieldAndListWithVapisFilters() throws Exception {
    ApiClient api = node.newOrg();
    Map<String, Object> sent = Bodies.fullAssistant("Order desk");
    JsonNode created = checked("post", "/assistant", 201, api.post("/assistant", sent));
    String id = created.get("id").asText();
    assertEquals(ApiClient.JSON.valueToTree(sent), withoutServerFields(created), "every field comes back unchanged");
    assertEquals(created.get("createdAt"), created.get("updatedAt"));

    assertEquals(created, checked("get", "/assistant/{id}", 200, api.get("/assistant/" + id)));

    JsonNode second = checked("post", "/assistant", 201, api.post("/assistant", Bodies.fullAssistant("Second desk")));
    String createdAt = created.get("createdAt").asText();
    JsonNode listed = checked("get", "/assistant", 200,
        api.awaitGet("/assistant?limit=10", r -> r.json().size() == 2));
    assertEquals(List.of(second.get("id").asText(), id), ids(listed), "newest first");
    assertEquals(List.of(second.get("id").asText()), ids(api.get("/assistant?createdAtGt=" + createdAt).json()));
    assertEquals(List.of(id), ids(api.get("/assistant?createdAtLe=" + createdAt).json()));
    assertEquals(List.of(second.get("id").asText()), ids(api.get("/assistant?limit=1").json()));
    assertEquals(List.of(), ids(api.get("/assistant?updatedAtLt=2020-01-01T00:00:00Z").json()));
  }

  @Test
  void patchReplacesOnlyTheGivenTopLevelFieldsAndNullRemovesOne() throws Exception {
    ApiClient api = node.newOrg();
    JsonNode created = api.post("/assistant", Bodies.fullAssistant("Before")).json();
    String id = created.get("id").asText();
    Thread.sleep(5); // updatedAt must move past createdAt

    Map<String, Object> patch = new HashMap<>();
    patch.put("name", "After");
    patch.put("voicemailMessage", null);
    patch.put("model", Map.of("provider", "openai", "model", "gpt-4o-mini"));
    JsonNode updated = checked("patch", "/assistant/{id}", 200, api.patch("/assistant/" + id, patch));

    assertEquals("After", updated.get("name").asText());
    assertFalse(updated.has("voicemailMessage"), "null removes a field");
    assertEquals("gpt-4o-mini", updated.get("model").get("model").asText());
    assertFalse(updated.get("model").has("temperature"), "a given object replaces the old one whole");
    assertEquals(created.get("voice"), updated.get("voice"), "fields not named stay");
    assertEquals(created.get("firstMessage"), updated.get("firstMessage"));
    assertEquals(created.get("createdAt"), updated.get("createdAt"));
    assertTrue(Instant.parse(updated.get("updatedAt").asText()).isAfter(Instant.parse(created.get("createdAt").asText())));
    assertEquals(updated, api.get("/assistant/" + id).json());
  }

  @Test
  void deleteAnswersTheDeletedObjectAndThenItIsGoneEverywhere() throws Exception {
    ApiClient api = node.newOrg();
    JsonNode created = api.post("/assistant", Bodies.fullAssistant("Short lived")).json();
    String id = created.get("id").asText();
    api.awaitGet("/assistant", r -> r.json().size() == 1);

    assertEquals(created, checked("delete", "/assistant/{id}", 200, api.delete("/assistant/" + id)));
    assertEquals(404, api.get("/assistant/" + id).status());
    assertEquals(404, api.patch("/assistant/" + id, Map.of("name", "x")).status());
    assertEquals(404, api.delete("/assistant/" + id).status());
    assertEquals(0, api.awaitGet("/assistant", r -> r.json().size() == 0).json().size());
  }

  @Test
  void toolsSquadsPhoneNumbersAndCredentialsHaveTheSameLifecycle() throws Exception {
    ApiClient api = node.newOrg();
    JsonNode tool = checked("post", "/tool", 201, api.post("/tool", Bodies.functionTool("order_status")));
    JsonNode endCall = checked("post", "/tool", 201, api.post("/tool", Map.of("type", "endCall")));
    assertEquals("order_status", tool.get("function").get("name").asText());
    checked("get", "/tool/{id}", 200, api.get("/tool/" + tool.get("id").asText()));
    JsonNode renamed = checked("patch", "/tool/{id}", 200, api.patch("/tool/" + tool.get("id").asText(),
        Map.of("function", Map.of("name", "order_lookup"))));
    assertEquals("order_lookup", renamed.get("function").get("name").asText());
    assertEquals(2, checked("get", "/tool", 200, api.awaitGet("/tool", r -> r.json().size() == 2)).size());
    checked("delete", "/tool/{id}", 200, api.delete("/tool/" + endCall.get("id").asText()));

    String a1 = api.post("/assistant", Bodies.fullAssistant("Reception")).json().get("id").asText();
    String a2 = api.post("/assistant", Bodies.fullAssistant("Billing")).json().get("id").asText();
    JsonNode squad = checked("post", "/squad", 201, api.post("/squad", Bodies.squad("Front office", a1, a2)));
    assertEquals(a2, squad.get("members").get(1).get("assistantId").asText());
    checked("get", "/squad/{id}", 200, api.get("/squad/" + squad.get("id").asText()));
    // Vapi's UpdateSquadDTO requires members
    JsonNode renamedSquad = checked("patch", "/squad/{id}", 200, api.patch("/squad/" + squad.get("id").asText(),
        Map.of("name", "Back office", "members", List.of(Map.of("assistantId", a1)))));
    assertEquals(1, renamedSquad.get("members").size());
    assertError(400, api.patch("/tool/" + tool.get("id").asText(), Map.of("type", "endCall")));
    checked("get", "/squad", 200, api.awaitGet("/squad", r -> r.json().size() == 1));
    checked("delete", "/squad/{id}", 200, api.delete("/squad/" + squad.get("id").asText()));

    ApiClient.Response createdCredential = api.post("/credential", Bodies.openAiCredential("sk-live-4f9a2c7e1b3d5f60"));
    assertEquals(201, createdCredential.status(), createdCredential.text());
    JsonNode credential = createdCredential.json();
    // /credential is in Vapi's docs, not its spec; the spec still defines the credential's schema
    CONTRACT.assertMatches("OpenAICredential", credential);
    CONTRACT.assertMatches("OpenAICredential", api.get("/credential/" + credential.get("id").asText()).json());
    assertEquals("****5f60", credential.get("apiKey").asText(), "a secret is never returned in full");
    JsonNode number = checked("post", "/phone-number", 201,
        api.post("/phone-number", Bodies.byoPhoneNumber("+14155550100", credential.get("id").asText())));
    checked("get", "/phone-number/{id}", 200, api.get("/phone-number/" + number.get("id").asText()));
    checked("patch", "/phone-number/{id}", 200,
        api.patch("/phone-number/" + number.get("id").asText(), Map.of("name", "Night line")));
    checked("get", "/phone-number", 200, api.awaitGet("/phone-number", r -> r.json().size() == 1));
    checked("delete", "/phone-number/{id}", 200, api.delete("/phone-number/" + number.get("id").asText()));
  }

  @Test
  void credentialSecretsAreEncryptedAtRest() throws Exception {
    ApiClient api = node.newOrg();
    String secret = "sk-live-" + UUID.randomUUID();
    JsonNode credential = api.post("/credential", Bodies.openAiCredential(secret)).json();
    assertEquals(201, api.post("/credential", Bodies.openAiCredential(secret + "-2")).status());
    String id = credential.get("id").asText();
    assertEquals("****" + secret.substring(secret.length() - 4), api.get("/credential/" + id).json().get("apiKey").asText());
    api.awaitGet("/credential", r -> r.json().size() == 2);

    var session = CassandraSchema.session(node.node.system());
    List<String> raw = new ArrayList<>();
    for (String table : List.of("messages", "resources_by_org", "snapshots")) {
      session.selectAll("SELECT * FROM " + node.keyspace + "." + table).toCompletableFuture().get(30, TimeUnit.SECONDS)
          .forEach(row -> raw.add(row.getFormattedContents()));
    }
    String everything = String.join("\n", raw);
    assertTrue(everything.contains(id), "the credential's rows were read");
    assertFalse(everything.contains(secret), "a secret is readable in Cassandra's raw rows");
    assertFalse(everything.contains(hex(secret)), "a secret is readable (as hex) in Cassandra's raw rows");
  }

  @Test
  void anotherOrgsObjectsDoNotExistForYou() throws Exception {
    ApiClient mine = node.newOrg();
    ApiClient theirs = node.newOrg();
    String id = mine.post("/assistant", Bodies.fullAssistant("Mine")).json().get("id").asText();
    mine.awaitGet("/assistant", r -> r.json().size() == 1);

    assertEquals(404, theirs.get("/assistant/" + id).status());
    assertEquals(404, theirs.patch("/assistant/" + id, Map.of("name", "Stolen")).status());
    assertEquals(404, theirs.delete("/assistant/" + id).status());
    assertEquals(0, theirs.get("/assistant").json().size());
    assertEquals("Mine", mine.get("/assistant/" + id).json().get("name").asText());
  }

  @Test
  void everyErrorIsJsonWithTheRightStatus() throws Exception {
    ApiClient api = node.newOrg();

    ApiClient.Response noKey = api.withKey(null).get("/assistant");
    assertError(401, noKey);
    assertTrue(noKey.header("WWW-Authenticate").isPresent());
    assertError(401, api.withKey("sk_not-a-real-key").get("/assistant"));
    assertError(401, api.withKey(node.issue(UUID.randomUUID().toString(), KeyKind.PUBLIC)).get("/assistant"));

    assertError(404, api.get("/assistant/" + UUID.randomUUID()));
    assertError(404, api.get("/assistant/not-a-uuid"));
    assertError(404, api.get("/no-such-resource"));

    JsonNode malformed = assertError(400, api.postRaw("/assistant", "{\"name\": "));
    assertTrue(malformed.get("message").get(0).asText().startsWith("body is not valid JSON"), malformed.toString());
    assertError(400, api.postRaw("/assistant", "[1, 2]"));
    JsonNode invalid = assertError(400, api.post("/assistant", Map.of("name", "x".repeat(41), "firstMessageMode", "sing")));
    assertTrue(invalid.get("message").toString().contains("name must be shorter than or equal to 40 characters"), invalid.toString());
    assertTrue(invalid.get("message").toString().contains("firstMessageMode"), invalid.toString());
    JsonNode badLimit = assertError(400, api.get("/assistant?limit=5000&createdAtGt=yesterday"));
    assertEquals(2, badLimit.get("message").size(), badLimit.toString());

    assertError(413, api.postRaw("/assistant", "{\"name\":\"" + "x".repeat(1_100_000) + "\"}"));
  }

  @Test
  void aKeyOverItsRateGets429WithHeaders() throws Exception {
    ApiClient api = node.newOrg();
    ApiClient.Response last = api.get("/assistant");
    assertEquals("60", last.header("X-RateLimit-Limit").orElseThrow());
    int sent = 1;
    while (last.status() != 429 && sent < 500) {
      last = api.get("/assistant");
      sent++;
    }
    assertEquals(429, last.status(), "never limited after " + sent + " requests");
    assertError(429, last);
    assertEquals("0", last.header("X-RateLimit-Remaining").orElseThrow());
    assertTrue(Integer.parseInt(last.header("Retry-After").orElseThrow()) >= 1);
    assertEquals(200, node.newOrg().get("/assistant").status(), "other keys are not affected");
  }

  @Test
  void theOpenApiDocumentDescribesWhatWeServe() {
    ApiClient.Response doc = new ApiClient(node.port, null).get("/api-docs/openapi.json");
    assertEquals(200, doc.status());
    JsonNode json = doc.json();
    assertTrue(json.get("openapi").asText().startsWith("3."));
    for (String path : List.of("/assistant", "/assistant/{id}", "/tool", "/tool/{id}", "/squad", "/squad/{id}",
        "/phone-number", "/phone-number/{id}", "/credential", "/credential/{id}")) {
      assertTrue(json.get("paths").has(path), path);
    }
  }

  private static JsonNode assertError(int status, ApiClient.Response response) {
    assertEquals(status, response.status(), response.text());
    JsonNode json = response.json();
    assertEquals(status, json.get("statusCode").asInt(), response.text());
    assertTrue(json.get("error").isTextual() && json.get("message").isArray() && json.get("message").size() > 0,
        response.text());
    assertFalse(response.text().contains("Exception") || response.text().contains("\tat "), response.text());
    return json;
  }

  private static JsonNode withoutServerFields(JsonNode resource) {
    var copy = resource.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove(List.of("id", "orgId", "createdAt", "updatedAt"));
    return copy;
  }

  private static List<String> ids(JsonNode array) {
    List<String> ids = new ArrayList<>();
    array.forEach(item -> ids.add(item.get("id").asText()));
    return ids;
  }

  private static String hex(String text) {
    return java.util.HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
