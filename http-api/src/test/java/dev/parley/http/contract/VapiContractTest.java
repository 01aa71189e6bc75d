package dev.parley.http.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class VapiContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final VapiContract contract = VapiContract.shared();

  /** A fully configured assistant as our API would answer it. */
  private static ObjectNode assistant() throws Exception {
    return (ObjectNode) JSON.readTree("""
        {
          "id": "5b0a4a4e-8f0e-4a39-9d53-4c1f8f6f1a01",
          "orgId": "0f4b6c1e-2d3a-4e5f-8a9b-1c2d3e4f5a6b",
          "createdAt": "2026-11-25T10:15:30.123Z",
          "updatedAt": "2026-11-25T10:15:30.123Z",
          "name": "Front desk",
          "firstMessage": "Hello, Riverside Dental, how can I help?",
          "firstMessageMode": "assistant-speaks-first",
          "model": {
            "provider": "openai",
            "model": "gpt-4o",
            "temperature": 0.4,
            "maxTokens": 250,
            "messages": [{"role": "system", "content": "You book dental appointments."}]
          },
          "voice": {"provider": "11labs", "voiceId": "sarah", "stability": 0.5, "similarityBoost": 0.75},
          "transcriber": {"provider": "deepgram", "model": "nova-2", "language": "en-US"},
          "endCallPhrases": ["goodbye", "talk to you later"],
          "endCallMessage": "Thanks for calling, goodbye.",
          "voicemailMessage": "Please call us back during opening hours.",
          "maxDurationSeconds": 600,
          "backgroundSound": "office",
          "startSpeakingPlan": {"waitSeconds": 0.4},
          "stopSpeakingPlan": {"numWords": 2, "voiceSeconds": 0.2, "backoffSeconds": 1},
          "analysisPlan": {"summaryPlan": {"enabled": true, "timeoutSeconds": 10}},
          "artifactPlan": {"recordingEnabled": false, "recordingFormat": "mp3"},
          "server": {"url": "https://example.com/vapi", "timeoutSeconds": 20,
                     "backoffPlan": {"type": "fixed", "maxRetries": 2, "baseDelaySeconds": 1,
                                     "excludedStatusCodes": [400, 401]}},
          "serverMessages": ["end-of-call-report", "status-update", "tool-calls"],
          "clientMessages": ["transcript", "speech-update"],
          "metadata": {"team": "front-desk", "priority": 3}
        }
        """);
  }

  private static ObjectNode functionTool() throws Exception {
    return (ObjectNode) JSON.readTree("""
        {
          "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
          "orgId": "0f4b6c1e-2d3a-4e5f-8a9b-1c2d3e4f5a6b",
          "createdAt": "2026-11-25T10:15:30Z",
          "updatedAt": "2026-11-25T10:16:00Z",
          "type": "function",
          "async": false,
          "latestVersion": null,
          "function": {
            "name": "book_appointment",
            "description": "Books a slot",
            "parameters": {"type": "object",
                           "properties": {"day": {"type": "string"}},
                           "required": ["day"]}
          },
          "messages": [{"type": "request-start", "content": "One moment."}],
          "server": {"url": "https://example.com/tools"}
        }
        """);
  }

  @Test
  void aFullyConfiguredAssistantPasses() throws Exception {
    contract.assertMatches("Assistant", assistant());
    contract.assertResponseMatches("POST", "/assistant", 201, assistant());
    contract.assertResponseMatches("patch", "/assistant/{id}", 200, assistant());
  }

  @Test
  void aNumberForADateFailsNamingTheField() throws Exception {
    ObjectNode body = assistant().put("createdAt", 5);

    AssertionError failure = assertThrows(AssertionError.class, () -> contract.assertMatches("Assistant", body));

    assertTrue(failure.getMessage().contains("$.createdAt: integer found, string expected"), failure.getMessage());
    assertEquals(List.of("$.createdAt: integer found, string expected"), contract.violations("Assistant", body));
  }

  @Test
  void aStringThatIsNoDateTimeFails() throws Exception {
    List<String> violations = contract.violations("Assistant", assistant().put("updatedAt", "yesterday"));

    assertEquals(1, violations.size(), violations.toString());
    assertTrue(violations.get(0).startsWith("$.updatedAt:") && violations.get(0).contains("date-time"),
        violations.toString());
  }

  @Test
  void aValueOutsideAnEnumFailsNamingTheField() throws Exception {
    ObjectNode body = assistant().put("firstMessageMode", "assistant-talks-whenever");

    AssertionError failure = assertThrows(AssertionError.class, () -> contract.assertMatches("Assistant", body));

    assertTrue(failure.getMessage().contains("$.firstMessageMode: does not have a value in the enumeration"),
        failure.getMessage());
  }

  @Test
  void everyViolationIsListedAndRequiredFieldsAreEnforced() throws Exception {
    ObjectNode body = assistant().put("maxDurationSeconds", 5).put("name", "x".repeat(41));
    body.remove("orgId");

    List<String> violations = contract.violations("Assistant", body);

    assertEquals(3, violations.size(), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("$.maxDurationSeconds")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("$.name")), violations.toString());
    assertTrue(violations.stream().anyMatch(v -> v.contains("orgId")), violations.toString());
  }

  @Test
  void nullIsAcceptedOnlyWhereTheSpecSaysNullable() throws Exception {
    contract.assertMatches("FunctionTool", functionTool().putNull("latestVersion"));

    List<String> violations = contract.violations("Assistant", assistant().putNull("firstMessage"));
    assertEquals(List.of("$.firstMessage: null found, string expected"), violations);
  }

  @Test
  void aFunctionToolPassesTheToolResponseUnion() throws Exception {
    contract.assertResponseMatches("POST", "/tool", 201, functionTool());
    contract.assertResponseMatches("GET", "/tool/{id}", 200, functionTool());
    contract.assertResponseMatches("DELETE", "/tool/{id}", 200, functionTool());
  }

  @Test
  void aBrokenToolIsReportedAgainstItsOwnTypeOnly() throws Exception {
    ObjectNode broken = functionTool().put("async", "sometimes");

    List<String> violations = contract.responseViolations("GET", "/tool/{id}", 200, broken);

    // the discriminator picks FunctionTool: its error, not one per tool type of the union
    assertTrue(violations.contains("$.async: string found, boolean expected"), violations.toString());
    assertTrue(violations.size() <= 2, violations.toString());
  }

  @Test
  void aToolOfNoKnownTypeFails() throws Exception {
    ObjectNode unknown = functionTool().put("type", "telepathy");

    assertTrue(!contract.responseViolations("POST", "/tool", 201, unknown).isEmpty());
  }

  @Test
  void phoneNumbersAndSquadsPassTheirResponseSchemas() throws Exception {
    JsonNode byo = JSON.readTree("""
        {"id": "b1", "orgId": "o1", "createdAt": "2026-11-25T10:15:30Z", "updatedAt": "2026-11-25T10:15:30Z",
         "provider": "byo-phone-number", "number": "+14155550100", "credentialId": "c1",
         "name": "Front desk line", "assistantId": "a1", "status": "active"}
        """);
    JsonNode twilio = JSON.readTree("""
        {"id": "t1", "orgId": "o1", "createdAt": "2026-11-25T10:15:30Z", "updatedAt": "2026-11-25T10:15:30Z",
         "provider": "twilio", "number": "+14155550101", "twilioAccountSid": "AC0123456789abcdef",
         "twilioAuthToken": "secret", "smsEnabled": false}
        """);
    JsonNode squad = JSON.readTree("""
        {"id": "s1", "orgId": "o1", "createdAt": "2026-11-25T10:15:30Z", "updatedAt": "2026-11-25T10:15:30Z",
         "name": "Reception", "members": [{"assistantId": "a1"}, {"assistantId": "a2"}]}
        """);

    contract.assertResponseMatches("POST", "/phone-number", 201, byo);
    contract.assertResponseMatches("GET", "/phone-number/{id}", 200, twilio);
    contract.assertResponseMatches("POST", "/squad", 201, squad);
    assertTrue(contract.responseViolations("POST", "/phone-number", 201,
        ((ObjectNode) twilio.deepCopy()).without("twilioAccountSid")).stream()
        .anyMatch(v -> v.contains("twilioAccountSid")));
  }

  @Test
  void aMistakeInsideAProviderUnionIsReportedOnceNotPerProvider() throws Exception {
    ObjectNode body = assistant();
    ((ObjectNode) body.get("model")).put("temperature", "hot");

    assertEquals(List.of(
        "$.model.temperature: string found, number expected",
        "$.model: must be valid to one and only one schema, but 0 are valid"),
        contract.violations("Assistant", body));
  }

  @Test
  void anUnknownProviderIsNamed() throws Exception {
    ObjectNode body = assistant();
    ((ObjectNode) body.get("voice")).put("provider", "parley-flite");

    List<String> violations = contract.violations("Assistant", body);

    assertTrue(violations.stream().anyMatch(v -> v.startsWith("$.voice:")), violations.toString());
  }

  @Test
  void aListIsCheckedItemByItem() throws Exception {
    ArrayNode list = JSON.createArrayNode().add(assistant()).add(assistant().put("createdAt", 5));

    List<String> violations = contract.responseViolations("GET", "/assistant", 200, list);

    assertEquals(List.of("$[1].createdAt: integer found, string expected"), violations);
    contract.assertResponseMatches("GET", "/assistant", 200, JSON.createArrayNode().add(assistant()));
    assertTrue(!contract.responseViolations("GET", "/assistant", 200, assistant()).isEmpty(),
        "a single object where the spec declares an array");
  }

  @Test
  void theSpecsOwnMistakesAreRepairedAndStillEnforced() throws Exception {
    // enum declared on the array itself: each item is still checked
    List<String> gossip = contract.violations("Assistant", assistant().set("serverMessages",
        JSON.createArrayNode().add("status-update").add("gossip")));
    assertEquals(1, gossip.size(), gossip.toString());
    assertTrue(gossip.get(0).startsWith("$.serverMessages[1]: does not have a value in the enumeration"),
        gossip.toString());
    // transfer and handoff destinations overlap: a union, not "exactly one"
    contract.assertMatches("Squad", JSON.readTree("""
        {"id": "s1", "orgId": "o1", "createdAt": "2026-11-25T10:15:30Z", "updatedAt": "2026-11-25T10:15:30Z",
         "members": [{"assistantId": "a1", "assistantDestinations":
                        [{"type": "assistant", "assistantName": "Billing", "message": "Transferring you."}]},
                     {"assistantId": "a2"}]}
        """));
    // a preset voice id matches both "preset" and "any string": both must be fine
    contract.assertMatches("Assistant", assistant().set("voice",
        JSON.createObjectNode().put("provider", "openai").put("voiceId", "alloy")));
    // function names were JavaScript regex literals: a good name passes, a bad one fails
    ObjectNode badName = functionTool();
    ((ObjectNode) badName.get("function")).put("name", "book an appointment!");
    assertTrue(contract.violations("FunctionTool", badName).stream().anyMatch(v -> v.startsWith("$.function.name")),
        contract.violations("FunctionTool", badName).toString());
    assertTrue(contract.repairs().size() > 40, contract.repairs().toString());
  }

  @Test
  void operationsOrSchemasTheSpecLacksAreErrorsNotPasses() throws Exception {
    AssertionError noPath = assertThrows(AssertionError.class,
        () -> contract.assertResponseMatches("GET", "/assistants", 200, JSON.createArrayNode()));
    assertTrue(noPath.getMessage().contains("/assistant"), noPath.getMessage());

    AssertionError noStatus = assertThrows(AssertionError.class,
        () -> contract.assertResponseMatches("POST", "/assistant", 200, assistant()));
    assertTrue(noStatus.getMessage().contains("201"), noStatus.getMessage());

    AssertionError noSchema = assertThrows(AssertionError.class,
        () -> contract.assertMatches("Asistant", assistant()));
    assertTrue(noSchema.getMessage().contains("no schema named 'Asistant'"), noSchema.getMessage());
  }

  @Test
  void aMissingSpecFileIsExplained() {
    IllegalStateException missing = assertThrows(IllegalStateException.class,
        () -> VapiContract.load(Path.of("no-such-dir", "openapi.json")));

    assertTrue(missing.getMessage().contains(VapiContract.OPENAPI_PROPERTY), missing.getMessage());
  }
}
