package dev.parley.node.rest;

import static dev.parley.node.rest.CallBodies.websocket;
import static dev.parley.node.rest.CallBodies.with;
import static dev.parley.node.rest.CallBodies.withAssistantId;
import static dev.parley.node.rest.CallBodies.without;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.call.CallState;
import dev.parley.http.contract.VapiContract;
import dev.parley.node.testing.TestNode;
import dev.parley.persistence.testkit.TestCassandra;
import dev.parley.registry.keys.KeyKind;

/** {@code POST /call}, {@code GET/DELETE /call/{id}}: creation, refusals and public keys, over real HTTP. */
class CallApiTest {

  private static TestNode node;
  private static Path dataDir;
  private static final VapiContract CONTRACT = VapiContract.shared();

  @BeforeAll
  static void start() throws Exception {
    dataDir = TestCassandra.newDataDir("call-api");
    node = TestNode.start(TestCassandra.uniqueKeyspace("callapi"), dataDir, Map.of());
  }

  @AfterAll
  static void stop() {
    node.stop();
    TestCassandra.deleteRecursively(dataDir);
  }

  static JsonNode checked(String method, String path, int status, ApiClient.Response response) {
    assertEquals(status, response.status(), method + " " + path + " -> " + response.text());
    JsonNode json = response.json();
    if (method.equals("post")) {
      // Vapi declares POST /call's answer as oneOf Call or CallBatchResponse, which no discriminator
      // tells apart; a single call is a Call
      CONTRACT.assertMatches("Call", json);
    } else {
      CONTRACT.assertResponseMatches(method, path, status, json);
    }
    return json;
  }

  @Test
  void aCallWithAnAssistantIdIsQueuedWithAWebSocketUrlAndReadableAtOnce() throws Exception {
    ApiClient api = node.newOrg();
    String assistantId = api.post("/assistant", Bodies.fullAssistant("Order desk")).json().get("id").asText();
    Map<String, Object> body = with(with(with(withAssistantId(assistantId),
        "metadata", Map.of("ticket", "T-1")), "customer", Map.of("number", "+15550100", "name", "Ada")),
        "name", "First call");

    JsonNode call = checked("post", "/call", 201, api.post("/call", body));
    String id = call.get("id").asText();
    assertEquals(id, UUID.fromString(id).toString());
    assertEquals("vapi.websocketCall", call.get("type").asText());
    assertEquals("queued", call.get("status").asText());
    assertEquals(assistantId, call.get("assistantId").asText());
    assertFalse(call.has("assistant"), "a call by assistantId does not repeat the assistant");
    assertEquals("T-1", call.at("/metadata/ticket").asText());
    assertEquals("Ada", call.at("/customer/name").asText());
    assertEquals("First call", call.get("name").asText());
    assertEquals(call.get("createdAt"), call.get("updatedAt"));
    assertEquals(ApiClient.JSON.valueToTree(websocket("pcm_s16le", 16000)).get("audioFormat"),
        call.at("/transport/audioFormat"));
    String url = call.at("/transport/websocketCallUrl").asText();
    assertTrue(url.startsWith("ws://127.0.0.1:" + node.port + "/call/" + id + "/transport?token=ct_"), url);

    JsonNode read = checked("get", "/call/{id}", 200, api.get("/call/" + id));
    assertEquals("queued", read.get("status").asText());
    assertEquals(call.get("createdAt"), read.get("createdAt"));
    assertTrue(read.at("/transport/websocketCallUrl").asText().contains("?token=ct_"));
    assertEquals(0, read.get("messages").size());
    assertEquals("", read.at("/artifact/transcript").asText());
    assertEquals(0, read.at("/artifact/performanceMetrics/turnLatencies").size());
    assertEquals(0, read.get("cost").asInt());

    CallState stored = node.node.calls().get(call.get("orgId").asText(), id).toCompletableFuture()
        .get(10, TimeUnit.SECONDS).getValue();
    JsonNode effective = ApiClient.JSON.readTree(stored.call().assistantJson());
    assertEquals("Order desk", effective.get("name").asText(), "the saved assistant is stored with the call");
  }

  @Test
  void overridesReplaceTopLevelFieldsMergeObjectsOneLevelAndFillVariables() throws Exception {
    ApiClient api = node.newOrg();
    Map<String, Object> assistant = with(Bodies.fullAssistant("Inline desk"),
        "firstMessage", "Hello {{customerName}}, this is {{ desk }}.");
    Map<String, Object> overrides = Map.of(
        "maxDurationSeconds", 120,
        "stopSpeakingPlan", Map.of("numWords", 4),
        "variableValues", Map.of("customerName", "Ada", "desk", "orders"));
    Map<String, Object> body = Map.of("assistant", assistant, "assistantOverrides", overrides,
        "transport", websocket("pcm_s16le", 24000));

    JsonNode call = checked("post", "/call", 201, api.post("/call", body));
    JsonNode effective = call.get("assistant");
    assertEquals(120, effective.get("maxDurationSeconds").asInt());
    assertEquals(ApiClient.JSON.readTree("{\"numWords\":4,\"voiceSeconds\":0.2,\"backoffSeconds\":1}"),
        effective.get("stopSpeakingPlan"), "an object override merges into the assistant's object");
    assertEquals("Hello Ada, this is orders.", effective.get("firstMessage").asText());
    assertEquals(ApiClient.JSON.valueToTree(assistant).get("model"), effective.get("model"));
    assertEquals(ApiClient.JSON.valueToTree(overrides), call.get("assistantOverrides"));
    assertEquals(24000, call.at("/transport/audioFormat/sampleRate").asInt());

    String assistantId = api.post("/assistant", assistant).json().get("id").asText();
    JsonNode byId = checked("post", "/call", 201, api.post("/call",
        with(withAssistantId(assistantId), "assistantOverrides", overrides)));
    CallState stored = node.node.calls().get(byId.get("orgId").asText(), byId.get("id").asText())
        .toCompletableFuture().get(10, TimeUnit.SECONDS).getValue();
    assertEquals(effective, ApiClient.JSON.readTree(stored.call().assistantJson()),
        "a saved assistant gets the same overrides");
  }

  @Test
  void mulawAt8000IsAccepted() throws Exception {
    ApiClient api = node.newOrg();
    String assistantId = api.post("/assistant", Bodies.fullAssistant("Phone desk")).json().get("id").asText();
    JsonNode call = checked("post", "/call", 201, api.post("/call",
        with(withAssistantId(assistantId), "transport", websocket("mulaw", 8000))));
    assertEquals("mulaw", call.at("/transport/audioFormat/format").asText());
    assertEquals(withoutToken(call).get("transport"),
        withoutToken(api.get("/call/" + call.get("id").asText()).json()).get("transport"));
  }

  @Test
  void everyRefusalSaysWhatIsWrong() throws Exception {
    ApiClient api = node.newOrg();
    String assistantId = api.post("/assistant", Bodies.fullAssistant("Desk")).json().get("id").asText();
    Map<String, Object> good = withAssistantId(assistantId);
    String missing = UUID.randomUUID().toString();

    assertRefused(api, with(good, "assistant", Bodies.fullAssistant("Other")), 400,
        "assistantId and assistant cannot both be set: use assistantId for a saved assistant or assistant for a transient one");
    assertRefused(api, without(good, "assistantId"), 400, "assistantId or assistant is required");
    assertRefused(api, with(good, "squadId", assistantId), 400,
        "squadId: squads are not supported yet: start the call with assistantId or assistant");
    assertRefused(api, with(without(good, "assistantId"), "squad", Map.of("members", List.of())), 400,
        "squad: squads are not supported yet: start the call with assistantId or assistant");
    assertRefused(api, with(good, "phoneNumberId", assistantId), 400,
        "phoneNumberId: phone calls are not supported yet: use transport.provider vapi.websocket");
    assertRefused(api, with(good, "transport", Map.of("provider", "twilio")), 400,
        "transport.provider twilio is not supported yet: phone and SIP transports come later; use vapi.websocket");
    assertRefused(api, with(good, "transport", websocket("pcm_s16le", 44100)), 400,
        "transport.audioFormat.sampleRate must be one of the following values: 8000, 16000, 24000, 48000");
    assertRefused(api, with(good, "transport", websocket("mulaw", 16000)), 400,
        "transport.audioFormat.sampleRate must be 8000 for mulaw");
    assertRefused(api, with(good, "colour", "blue"), 400, "property colour should not exist");
    assertRefused(api, without(good, "transport"), 400, "transport should not be empty");
    assertRefused(api, with(good, "assistantId", missing), 400,
        "Couldn't Get Assistant. `assistantId` " + missing + " Does Not Exist.");
    ApiClient other = node.newOrg();
    assertRefused(other, good, 400, "Couldn't Get Assistant. `assistantId` " + assistantId + " Does Not Exist.");
    JsonNode notJson = assertError(400, api.postRaw("/call", "{\"assistantId\": "));
    assertTrue(notJson.at("/message/0").asText().startsWith("body is not valid JSON"), notJson.toString());
  }

  @Test
  void aPublicKeyStartsOnlyBrowserCalls() throws Exception {
    ApiClient api = node.newOrg();
    JsonNode assistant = api.post("/assistant", Bodies.fullAssistant("Web desk")).json();
    String orgId = assistant.get("orgId").asText();
    String assistantId = assistant.get("id").asText();
    ApiClient browser = api.withKey(node.issue(orgId, KeyKind.PUBLIC));

    Map<String, Object> allowed = with(with(withAssistantId(assistantId),
        "assistantOverrides", Map.of("variableValues", Map.of("name", "Ada"))), "metadata", Map.of("page", "/help"));
    JsonNode call = checked("post", "/call", 201, browser.post("/call", allowed));
    assertEquals(orgId, call.get("orgId").asText());
    assertTrue(call.at("/transport/websocketCallUrl").asText().contains("?token=ct_"));

    String rule = "a public key can only start a call with assistantId, assistantOverrides.variableValues, "
        + "metadata and the vapi.websocket transport; use a private key for ";
    assertRefused(browser, Map.of("assistant", Bodies.fullAssistant("Mine"), "transport", websocket("pcm_s16le", 16000)),
        403, rule + "assistant");
    assertRefused(browser, with(allowed, "name", "n"), 403, rule + "name");
    assertRefused(browser, with(allowed, "assistantOverrides", Map.of("firstMessage", "Hi")), 403,
        rule + "assistantOverrides.firstMessage");
    assertRefused(browser, with(allowed, "transport", Map.of("provider", "twilio")), 403,
        rule + "the twilio transport");
    String needsPrivate = "This endpoint needs a private API key; a public key only starts browser calls";
    assertEquals(needsPrivate, assertError(401, browser.get("/call/" + call.get("id").asText())).at("/message/0").asText());
    assertEquals(needsPrivate, assertError(401, browser.get("/call")).at("/message/0").asText());
    assertEquals(needsPrivate, assertError(401, browser.delete("/call/" + call.get("id").asText())).at("/message/0").asText());
  }

  @Test
  void deleteAnswersTheCallThenItIsGoneAndOtherOrgsNeverSeeIt() throws Exception {
    ApiClient api = node.newOrg();
    String assistantId = api.post("/assistant", Bodies.fullAssistant("Desk")).json().get("id").asText();
    JsonNode call = api.post("/call", withAssistantId(assistantId)).json();
    String id = call.get("id").asText();

    ApiClient stranger = node.newOrg();
    assertError(404, stranger.get("/call/" + id));
    assertError(404, stranger.delete("/call/" + id));

    JsonNode deleted = checked("delete", "/call/{id}", 200, api.delete("/call/" + id));
    assertEquals(withoutToken(call), withoutToken(withoutConversation(deleted)));
    assertEquals("Couldn't find Call", assertError(404, api.get("/call/" + id)).at("/message/0").asText());
    assertError(404, api.delete("/call/" + id));
    assertError(404, api.get("/call/not-a-uuid"));
    assertError(404, api.withKey(null).get("/calls"));
    assertError(401, api.withKey(null).get("/call/" + id));
    assertError(401, api.withKey("sk_wrong").post("/call", withAssistantId(assistantId)));
  }

  static JsonNode assertRefused(ApiClient api, Map<String, Object> body, int status, String message) {
    JsonNode error = assertError(status, api.post("/call", body));
    assertEquals(List.of(message), texts(error.get("message")), error.toString());
    return error;
  }

  static JsonNode assertError(int status, ApiClient.Response response) {
    assertEquals(status, response.status(), response.text());
    JsonNode json = response.json();
    assertEquals(status, json.get("statusCode").asInt(), response.text());
    assertFalse(response.text().contains("Exception"), response.text());
    return json;
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out;
  }

  /** The call without its WebSocket token, which is fresh on every answer. */
  static JsonNode withoutToken(JsonNode call) {
    ObjectNode copy = call.deepCopy();
    ObjectNode transport = (ObjectNode) copy.get("transport");
    String url = transport.get("websocketCallUrl").asText();
    transport.put("websocketCallUrl", url.substring(0, url.indexOf("?token=")));
    return copy;
  }

  private static JsonNode withoutConversation(JsonNode call) {
    ObjectNode copy = call.deepCopy();
    copy.remove(List.of("messages", "artifact"));
    return copy;
  }
}
