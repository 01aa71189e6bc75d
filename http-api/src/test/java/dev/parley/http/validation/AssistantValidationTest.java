package dev.parley.http.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.parley.http.JsonMapper;

class AssistantValidationTest {

  private static final RequestValidator validator = RequestValidator.fromClasspath();

  /** Every top-level field of Vapi's CreateAssistantDTO, plus silenceTimeoutSeconds, on our offline providers. */
  static final String OFFLINE_ASSISTANT = """
      {
        "name": "Front desk (offline)",
        "model": {
          "provider": "parley-scripted",
          "messages": [
            {"role": "system", "content": "You answer questions about opening hours."},
            {"role": "assistant", "content": null}
          ],
          "tools": [
            {"type": "endCall"},
            {"type": "function", "async": false,
             "function": {"name": "lookup_hours", "description": "Opening hours of a branch",
                          "parameters": {"type": "object",
                                         "properties": {"branch": {"type": "string", "enum": ["north", "south"]}},
                                         "required": ["branch"]}},
             "server": {"url": "https://example.test/hooks/hours", "timeoutSeconds": 20}}
          ],
          "toolIds": ["6f1c1f5e-8a43-4a4e-9c0e-6b0f0b1d2a11"],
          "temperature": 0.3,
          "maxTokens": 250,
          "scriptName": "front-desk"
        },
        "voice": {"provider": "parley-flite", "voiceId": "slt", "speed": 1.1},
        "transcriber": {"provider": "parley-pocketsphinx", "language": "en-US"},
        "firstMessage": "Hello, this is the front desk. How can I help?",
        "firstMessageMode": "assistant-speaks-first",
        "firstMessageInterruptionsEnabled": true,
        "endCallMessage": "Goodbye!",
        "endCallPhrases": ["goodbye", "talk to you later"],
        "voicemailMessage": "Please call us back during opening hours.",
        "voicemailDetection": "off",
        "maxDurationSeconds": 600,
        "silenceTimeoutSeconds": 30,
        "backgroundSound": "office",
        "startSpeakingPlan": {
          "waitSeconds": 0.4,
          "smartEndpointingPlan": {"provider": "livekit", "waitFunction": "200 + 8000 * x"},
          "customEndpointingRules": [{"type": "customer", "regex": "\\\\d{3}", "timeoutSeconds": 2}],
          "transcriptionEndpointingPlan": {"onPunctuationSeconds": 0.1, "onNoPunctuationSeconds": 1.5, "onNumberSeconds": 0.5}
        },
        "stopSpeakingPlan": {"numWords": 2, "voiceSeconds": 0.2, "backoffSeconds": 1,
                             "acknowledgementPhrases": ["okay", "right"], "interruptionPhrases": ["stop"]},
        "analysisPlan": {"minMessagesThreshold": 2, "summaryPlan": {"enabled": true}},
        "artifactPlan": {"recordingEnabled": true, "recordingFormat": "mp3",
                         "transcriptPlan": {"enabled": true, "assistantName": "Desk", "userName": "Caller"}},
        "server": {"url": "https://example.test/hooks", "timeoutSeconds": 20, "headers": {"X-Env": "test"},
                   "backoffPlan": {"type": "exponential", "maxRetries": 3, "baseDelaySeconds": 1,
                                   "excludedStatusCodes": [400, 401]}},
        "serverMessages": ["end-of-call-report", "status-update", "tool-calls", "transcript[transcriptType=\\"final\\"]"],
        "clientMessages": ["transcript", "hang", "model-output"],
        "metadata": {"team": "support", "priority": 2},
        "hooks": [{"on": "call.ending", "do": [{"type": "tool", "tool": {"type": "endCall"}}]}],
        "credentials": [{"provider": "openai", "apiKey": "sk-test-0123456789"}],
        "credentialIds": ["0e5b3f0a-94c4-4f8e-8a3e-1f2d3c4b5a69"],
        "compliancePlan": {"hipaaEnabled": false, "pciEnabled": false},
        "monitorPlan": {"listenEnabled": true, "controlEnabled": false},
        "observabilityPlan": {"provider": "langfuse", "tags": ["offline"]},
        "keypadInputPlan": {"enabled": true, "timeoutSeconds": 3, "delimiters": "#"},
        "backgroundSpeechDenoisingPlan": {"smartDenoisingPlan": {"enabled": true},
                                          "fourierDenoisingPlan": {"enabled": true, "staticThreshold": -35}},
        "modelOutputInMessagesEnabled": false,
        "transportConfigurations": [{"provider": "twilio", "timeout": 60, "record": false, "recordingChannels": "mono"}]
      }
      """;

  static final String HOSTED_ASSISTANT = """
      {
        "name": "Sales (hosted)",
        "model": {"provider": "openai", "model": "gpt-4o", "temperature": 0.7, "maxTokens": 500,
                  "messages": [{"role": "system", "content": "You sell bicycles."}],
                  "emotionRecognitionEnabled": true, "reasoningEffort": "low"},
        "voice": {"provider": "11labs", "voiceId": "burt", "stability": 0.5, "similarityBoost": 0.75,
                  "model": "eleven_turbo_v2_5"},
        "transcriber": {"provider": "deepgram", "model": "nova-2", "language": "en", "endpointing": 300,
                        "smartFormat": true},
        "voicemailDetection": {"provider": "twilio", "voicemailDetectionTypes": ["machine_end_beep"],
                               "machineDetectionTimeout": 30},
        "backgroundSound": "https://example.test/sounds/cafe.mp3",
        "maxDurationSeconds": 43200
      }
      """;

  @Test
  void aFullAssistantOnOfflineProvidersIsValid() {
    JsonNode body = json(OFFLINE_ASSISTANT);
    assertEquals(32, body.size(), "the sample must keep every top-level field");
    assertEquals(List.of(), validator.validate("CreateAssistantDTO", body));
    assertEquals(List.of(), validator.validate("UpdateAssistantDTO", body));
  }

  @Test
  void aHostedAssistantIsValid() {
    assertEquals(List.of(), validator.validate("CreateAssistantDTO", json(HOSTED_ASSISTANT)));
  }

  @Test
  void anEmptyAssistantIsValidBecauseNothingIsRequired() {
    assertEquals(List.of(), validator.validate("CreateAssistantDTO", json("{}")));
  }

  @Test
  void tooLongName() {
    assertProblems("{\"name\": \"" + "n".repeat(41) + "\"}", "name must be shorter than or equal to 40 characters");
  }

  @Test
  void temperatureAboveTwo() {
    assertProblems("{\"model\": {\"provider\": \"openai\", \"model\": \"gpt-4o\", \"temperature\": 3}}",
        "model.temperature must not be greater than 2");
  }

  @Test
  void numbersBelowTheirMinimum() {
    assertProblems("{\"maxDurationSeconds\": 5, \"silenceTimeoutSeconds\": 9.5}",
        "maxDurationSeconds must not be less than 10",
        "silenceTimeoutSeconds must not be less than 10");
  }

  @Test
  void unknownTopLevelProperty() {
    assertProblems("{\"name\": \"ok\", \"foo\": 1}", "property foo should not exist");
  }

  @Test
  void unknownPropertiesInsideProviderObjectsAreKeptForTheProvider() {
    assertProblems("{\"model\": {\"provider\": \"groq\", \"model\": \"llama-3.1-8b-instant\", \"topK\": 3},"
        + " \"voice\": {\"provider\": \"cartesia\", \"voiceId\": \"v\", \"emotion\": [\"positivity:high\"]}}");
  }

  @Test
  void wrongTypes() {
    assertProblems("{\"firstMessage\": 5, \"maxDurationSeconds\": \"600\", \"metadata\": [],"
            + " \"firstMessageInterruptionsEnabled\": \"yes\", \"endCallPhrases\": \"bye\"}",
        "endCallPhrases must be an array",
        "firstMessage must be a string",
        "firstMessageInterruptionsEnabled must be a boolean value",
        "maxDurationSeconds must be a number conforming to the specified constraints",
        "metadata must be an object");
  }

  @Test
  void badEnumValue() {
    assertProblems("{\"firstMessageMode\": \"assistant-speaks-last\"}",
        "firstMessageMode must be one of the following values: assistant-speaks-first, "
            + "assistant-speaks-first-with-model-generated-message, assistant-waits-for-user");
  }

  @Test
  void badElementsOfPlainArraysAreReportedPerArray() {
    assertProblems("{\"clientMessages\": [\"transcript\", \"gossip\"], \"endCallPhrases\": [\"bye\", 7, \"x\"],"
            + " \"model\": {\"provider\": \"vapi\", \"toolIds\": [1]}}",
        "clientMessages must be one of the following values: conversation-update, assistant.speechStarted, "
            .replace("clientMessages", "each value in clientMessages")
            + "function-call, function-call-result, hang, language-changed, metadata, model-output, speech-update, "
            + "status-update, transcript, tool-calls, tool-calls-result, tool.completed, transfer-update, "
            + "user-interrupted, voice-input, workflow.node.started, assistant.started",
        "each value in endCallPhrases must be a string",
        "each value in endCallPhrases must be longer than or equal to 2 characters",
        "model.each value in toolIds must be a string");
  }

  @Test
  void modelNeedsAKnownProvider() {
    assertProblems("{\"model\": {\"model\": \"gpt-4o\"}}", "model.provider should not be empty");
    List<String> problems = validator.validate("CreateAssistantDTO", json("{\"model\": {\"provider\": \"skynet\"}}"));
    assertEquals(1, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("model.provider must be one of the following values: anthropic, "), problems::toString);
    assertTrue(problems.get(0).endsWith(", vapi, parley-scripted"), problems::toString);
  }

  @Test
  void hostedModelsNeedAModelNameButOurScriptedEngineDoesNot() {
    assertProblems("{\"model\": {\"provider\": \"openai\"}}", "model.model should not be empty");
    assertProblems("{\"model\": {\"provider\": \"custom-llm\", \"model\": \"mine\"}}", "model.url should not be empty");
    assertProblems("{\"model\": {\"provider\": \"parley-scripted\"}}");
    assertProblems("{\"model\": {\"provider\": \"vapi\"}}");
  }

  @Test
  void modelMessagesAndTools() {
    assertProblems("{\"model\": {\"provider\": \"parley-scripted\", \"maxTokens\": 20,"
            + " \"messages\": [{\"role\": \"narrator\", \"content\": \"hi\"}, {\"role\": \"user\"}],"
            + " \"tools\": [{\"function\": {\"name\": \"x\"}}, {\"type\": \"function\", \"function\": {\"name\": \"bad name\"}}]}}",
        "model.maxTokens must not be less than 50",
        "model.messages.0.role must be one of the following values: system, user, assistant, tool, function",
        "model.messages.1.content should not be empty",
        "model.tools.0.type should not be empty",
        "model.tools.1.function.name must match /^[a-zA-Z0-9_-]{1,64}$/ regular expression");
  }

  @Test
  void fliteVoicesAreTheFourBuiltInSpeakers() {
    assertProblems("{\"voice\": {\"provider\": \"parley-flite\", \"voiceId\": \"rms\"}}");
    assertProblems("{\"voice\": {\"provider\": \"parley-flite\", \"voiceId\": \"burt\"}}",
        "voice.voiceId must be one of the following values: rms, slt, kal16, awb");
    assertProblems("{\"voice\": {\"provider\": \"parley-flite\"}}", "voice.voiceId should not be empty");
    assertProblems("{\"voice\": {\"provider\": \"11labs\"}}", "voice.voiceId should not be empty");
    assertProblems("{\"voice\": {\"provider\": \"custom-voice\"}}", "voice.server should not be empty");
  }

  @Test
  void transcriberProviders() {
    assertProblems("{\"transcriber\": {\"provider\": \"parley-pocketsphinx\"}}");
    assertProblems("{\"transcriber\": {\"provider\": \"deepgram\", \"endpointing\": 5}}",
        "transcriber.endpointing must not be less than 10");
    assertProblems("{\"transcriber\": {\"provider\": \"custom-transcriber\"}}", "transcriber.server should not be empty");
  }

  @Test
  void speakingPlansUseVapisBounds() {
    assertProblems("{\"startSpeakingPlan\": {\"waitSeconds\": 6},"
            + " \"stopSpeakingPlan\": {\"numWords\": 11, \"voiceSeconds\": 0.6, \"backoffSeconds\": -1}}",
        "startSpeakingPlan.waitSeconds must not be greater than 5",
        "stopSpeakingPlan.backoffSeconds must not be less than 0",
        "stopSpeakingPlan.numWords must not be greater than 10",
        "stopSpeakingPlan.voiceSeconds must not be greater than 0.5");
  }

  @Test
  void voicemailDetectionIsOffOrAPlan() {
    assertProblems("{\"voicemailDetection\": \"on\"}", "voicemailDetection must be one of the following values: off");
    assertProblems("{\"voicemailDetection\": 5}", "voicemailDetection must be a string or an object");
    assertProblems("{\"voicemailDetection\": {\"provider\": \"psychic\"}}",
        "voicemailDetection.provider must be one of the following values: google, openai, twilio, vapi");
    assertProblems("{\"voicemailDetection\": {\"provider\": null}}", "voicemailDetection.provider should not be empty");
  }

  @Test
  void backgroundSoundIsOffOfficeOrAUrl() {
    assertProblems("{\"backgroundSound\": \"off\"}");
    assertProblems("{\"backgroundSound\": \"jungle\"}",
        "backgroundSound must match /^(off|office|[a-zA-Z][a-zA-Z0-9+.-]*://\\S+)$/ regular expression");
  }

  @Test
  void nullRemovesOptionalFieldsButNotRequiredOnes() {
    assertProblems("{\"name\": null, \"firstMessage\": null, \"voice\": null, \"endCallPhrases\": null}");
    assertProblems("{\"voice\": {\"provider\": \"azure\", \"voiceId\": \"andrew\", \"speed\": null}}");
    assertProblems("{\"model\": {\"provider\": null, \"temperature\": null}}", "model.provider should not be empty");
  }

  @Test
  void inlineCredentialsFollowTheCredentialRules() {
    assertProblems("{\"credentials\": [{\"provider\": \"openai\"}, {\"provider\": \"deepgram\", \"apiKey\": \"k\", \"colour\": 1}]}",
        "credentials.0.apiKey should not be empty",
        "credentials.1.property colour should not exist");
  }

  @Test
  void updateTakesTheSameFieldsAndRulesAsCreate() {
    assertSchemaProblems("UpdateAssistantDTO", "{\"name\": \"" + "n".repeat(41) + "\", \"bar\": true}",
        "name must be shorter than or equal to 40 characters",
        "property bar should not exist");
  }

  private static void assertProblems(String body, String... expected) {
    assertSchemaProblems("CreateAssistantDTO", body, expected);
  }

  private static void assertSchemaProblems(String schema, String body, String... expected) {
    assertEquals(List.of(expected), validator.validate(schema, json(body)));
  }

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) JsonMapper.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
