package dev.parley.http.validation;

import static dev.parley.http.validation.AssistantValidationTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ToolValidationTest {

  private static final RequestValidator validator = RequestValidator.fromClasspath();

  @ParameterizedTest
  @ValueSource(strings = {
      """
      {"type": "function", "async": true,
       "function": {"name": "book_table", "description": "Books a table", "strict": true,
                    "parameters": {"type": "object",
                                   "properties": {"people": {"type": "integer"}, "time": {"type": "string", "format": "date-time"}},
                                   "required": ["people", "time"]}},
       "server": {"url": "https://example.test/tools", "timeoutSeconds": 10},
       "messages": [{"type": "request-start", "content": "One moment."},
                    {"type": "request-response-delayed", "content": "Still looking.", "timingMilliseconds": 3000}]}
      """,
      """
      {"type": "apiRequest", "name": "weather", "method": "GET", "url": "https://example.test/weather",
       "timeoutSeconds": 120,
       "headers": {"type": "object", "properties": {"X-Key": {"type": "string"}}},
       "body": {"type": "object", "properties": {"city": {"type": "string"}}},
       "backoffPlan": {"type": "fixed", "maxRetries": 2, "baseDelaySeconds": 1}}
      """,
      """
      {"type": "transferCall",
       "destinations": [{"type": "number", "number": "+14155550100", "message": "Transferring you now."},
                        {"type": "sip", "sipUri": "sip:desk@example.test"}],
       "function": {"name": "transfer_to_desk"}}
      """,
      """
      {"type": "code", "code": "return {ok: true};", "timeoutSeconds": 10,
       "environmentVariables": [{"name": "API_TOKEN", "value": "t"}], "function": {"name": "check"}}
      """,
      """
      {"type": "handoff", "destinations": [{"type": "assistant", "assistantName": "Billing", "description": "money"}]}
      """,
      "{\"type\": \"endCall\"}",
      "{\"type\": \"dtmf\", \"sipInfoDtmfEnabled\": true}",
      "{\"type\": \"mcp\", \"server\": {\"url\": \"https://example.test/mcp\"}, \"metadata\": {\"protocol\": \"shttp\"}}",
      "{\"type\": \"sipRequest\", \"verb\": \"INFO\", \"body\": \"ping\"}",
      "{\"type\": \"query\", \"knowledgeBases\": [{\"name\": \"kb\", \"provider\": \"google\", \"description\": \"faq\", \"fileIds\": [\"f1\"]}]}",
  })
  void realisticToolsAreValid(String tool) {
    assertEquals(List.of(), validator.validate("CreateToolDTO", json(tool)));
  }

  @Test
  void typeIsRequired() {
    assertProblems("{\"function\": {\"name\": \"x\"}}", "type should not be empty");
  }

  @Test
  void typeMustBeOneOfVapisToolTypes() {
    List<String> problems = validator.validate("CreateToolDTO", json("{\"type\": \"teleport\"}"));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("type must be one of the following values: apiRequest, bash, code, "),
        problems::toString);
  }

  @Test
  void functionToolsNeedANamedFunction() {
    assertProblems("{\"type\": \"function\"}", "function should not be empty");
    assertProblems("{\"type\": \"function\", \"function\": {\"description\": \"no name\"}}",
        "function.name should not be empty");
    assertProblems("{\"type\": \"function\", \"function\": {\"name\": \"" + "f".repeat(65) + "\"}}",
        "function.name must be shorter than or equal to 64 characters",
        "function.name must match /^[a-zA-Z0-9_-]{1,64}$/ regular expression");
  }

  @Test
  void typeSpecificRequirementsOnlyApplyToThatType() {
    assertProblems("{\"type\": \"apiRequest\", \"method\": \"FETCH\"}",
        "method must be one of the following values: POST, GET, PUT, PATCH, DELETE",
        "url should not be empty");
    assertProblems("{\"type\": \"code\", \"code\": \"x\", \"timeoutSeconds\": 60}", "timeoutSeconds must not be greater than 30");
    assertProblems("{\"type\": \"apiRequest\", \"method\": \"GET\", \"url\": \"u\", \"timeoutSeconds\": 60}");
    assertProblems("{\"type\": \"transferCall\", \"destinations\": [{\"type\": \"number\"}]}",
        "destinations.0.number should not be empty");
    assertProblems("{\"type\": \"handoff\", \"destinations\": [{\"type\": \"number\", \"number\": \"+1555\"}]}",
        "destinations.0.type must be one of the following values: assistant, dynamic, squad");
  }

  @Test
  void unknownTopLevelFieldsAreRejected() {
    assertProblems("{\"type\": \"endCall\", \"colour\": \"red\"}", "property colour should not exist");
  }

  @Test
  void updateRequiresNothingButKeepsTheRules() {
    assertSchemaProblems("UpdateToolDTO", "{\"async\": true, \"server\": null}");
    assertSchemaProblems("UpdateToolDTO", "{\"function\": {\"description\": \"d\"}, \"colour\": 1}",
        "function.name should not be empty",
        "property colour should not exist");
  }

  private static void assertProblems(String body, String... expected) {
    assertSchemaProblems("CreateToolDTO", body, expected);
  }

  private static void assertSchemaProblems(String schema, String body, String... expected) {
    assertEquals(List.of(expected), validator.validate(schema, json(body)));
  }
}
