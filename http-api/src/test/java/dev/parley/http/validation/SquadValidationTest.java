package dev.parley.http.validation;

import static dev.parley.http.validation.AssistantValidationTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SquadValidationTest {

  private static final RequestValidator validator = RequestValidator.fromClasspath();

  private static final String SQUAD = """
      {
        "name": "Reception",
        "members": [
          {"assistantId": "0f3c2a8e-1d7b-4e5f-9a6c-2b8d4e6f8a10",
           "assistantDestinations": [{"type": "assistant", "assistantName": "Billing",
                                      "message": "Let me pass you to billing."}]},
          {"assistant": {"name": "Billing",
                         "model": {"provider": "parley-scripted"},
                         "voice": {"provider": "parley-flite", "voiceId": "kal16"}},
           "assistantOverrides": {"firstMessage": "Billing here.", "variableValues": {"branch": "north"}}}
        ],
        "membersOverrides": {"voice": {"provider": "parley-flite", "voiceId": "awb"},
                             "tools:append": [{"type": "endCall"}]}
      }
      """;

  @Test
  void aRealisticSquadIsValid() {
    assertEquals(List.of(), validator.validate("CreateSquadDTO", json(SQUAD)));
    assertEquals(List.of(), validator.validate("UpdateSquadDTO", json(SQUAD)));
  }

  @Test
  void membersAreRequired() {
    assertProblems("{\"name\": \"Empty\"}", "members should not be empty");
    assertProblems("{\"name\": \"Empty\", \"members\": null}", "members should not be empty");
  }

  @Test
  void updateRequiresMembersAsVapiDoes() {
    assertEquals(List.of("members should not be empty"), validator.validate("UpdateSquadDTO", json("{\"name\": \"n\"}")));
  }

  @Test
  void membersAreCheckedDeeply() {
    assertProblems("""
        {"members": [
          {"assistant": {"name": "%s", "voice": {"provider": "parley-flite", "voiceId": "nobody"}}, "role": "lead"},
          {"assistantId": 42},
          {"assistantOverrides": {"silenceTimeoutSeconds": 4000, "nickname": "x"}}
        ]}
        """.formatted("a".repeat(41)),
        "members.0.assistant.name must be shorter than or equal to 40 characters",
        "members.0.assistant.voice.voiceId must be one of the following values: rms, slt, kal16, awb",
        "members.0.property role should not exist",
        "members.1.assistantId must be a string",
        "members.2.assistantOverrides.property nickname should not exist",
        "members.2.assistantOverrides.silenceTimeoutSeconds must not be greater than 3600");
  }

  @Test
  void assistantIdMayBeNull() {
    assertProblems("{\"members\": [{\"assistantId\": null, \"assistant\": {\"name\": \"inline\"}}]}");
  }

  private static void assertProblems(String body, String... expected) {
    assertEquals(List.of(expected), validator.validate("CreateSquadDTO", json(body)));
  }
}
